using Microsoft.Extensions.Options;
using Realtime.Gateway.Connections;

namespace Realtime.Gateway.Security;

/// <summary>
/// Which browser pages may use the user's session cookie here (<c>Gateway:AllowedOrigins</c>). A browser sends the
/// cookie with a WebSocket upgrade whatever page opens it, and WebSockets have no CORS, so without this check any
/// page the browser sends the cookie from could act as the user (cross-site WebSocket hijacking). Requests without
/// an <c>Origin</c> header come from programs, not browsers, and prove themselves with the session alone.
/// </summary>
internal sealed class OriginPolicy
{
    public const string Anyone = "*";

    private const int MaxLoggedOriginLength = 200;
    private const string ForwardedProtoHeader = "X-Forwarded-Proto";

    private readonly HashSet<WebOrigin> _allowed = [];
    private readonly bool _anyone;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger<OriginPolicy> _logger;

    public OriginPolicy(IOptions<GatewayOptions> options, GatewayMetrics metrics, ILogger<OriginPolicy> logger)
    {
        _metrics = metrics;
        _logger = logger;
        foreach (var entry in options.Value.AllowedOrigins)
        {
            if (entry == Anyone)
            {
                _anyone = true;
            }
            else if (WebOrigin.TryParse(entry, out var origin))
            {
                _allowed.Add(origin.Value);
            }
        }
    }

    /// <summary>
    /// True when the request may go on: no <c>Origin</c>, the gateway's own origin or an allowed one. Otherwise the
    /// refusal is counted and logged (the origin only: never the cookie or the query string).
    /// </summary>
    public bool Allows(HttpRequest request)
    {
        var header = request.Headers.Origin;
        if (header.Count == 0)
        {
            return true;
        }
        var text = header.ToString();
        if (_anyone || (WebOrigin.TryParse(text, out var origin) && (_allowed.Contains(origin.Value) || IsOwn(request, origin.Value))))
        {
            return true;
        }
        _metrics.OriginsRefused.Add(1, new KeyValuePair<string, object?>(GatewayMetrics.PathTag, request.Path.Value));
        _logger.LogWarning("Refused {Path} to a page from origin {Origin}, which Gateway:AllowedOrigins does not list",
            request.Path.Value, text.Length > MaxLoggedOriginLength ? text[..MaxLoggedOriginLength] : text);
        return false;
    }

    /// <summary>
    /// The page came from this gateway itself: the Host it was asked for, with its own scheme or the one a TLS
    /// proxy in front reports (X-Forwarded-Proto; a program could fake it, but a browser page cannot).
    /// </summary>
    private static bool IsOwn(HttpRequest request, WebOrigin origin)
    {
        if (!request.Host.HasValue)
        {
            return false;
        }
        var forwarded = request.Headers[ForwardedProtoHeader].ToString().Split(',')[0].Trim();
        foreach (var scheme in new[] { request.Scheme, forwarded })
        {
            if (scheme.Length > 0 && WebOrigin.TryParse($"{scheme}://{request.Host.Value}", out var own) && own.Value == origin)
            {
                return true;
            }
        }
        return false;
    }
}
