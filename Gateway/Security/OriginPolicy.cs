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
    public const string ForwardedProtoHeader = "X-Forwarded-Proto";

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
    public bool Allows(HttpRequest request) => Allows(OriginOf(request));

    /// <summary>What the check reads of <paramref name="request"/>.</summary>
    public static RequestOrigin OriginOf(HttpRequest request) => new(
        request.Headers.Origin.Count == 0 ? null : request.Headers.Origin.ToString(),
        request.Path.Value ?? "",
        request.Host.HasValue ? request.Host.Value : null,
        request.Scheme,
        request.Headers[ForwardedProtoHeader].ToString());

    /// <inheritdoc cref="Allows(HttpRequest)"/>
    public bool Allows(RequestOrigin request)
    {
        if (request.Origin is not { } text)
        {
            return true;
        }
        if (_anyone || (WebOrigin.TryParse(text, out var origin) && (_allowed.Contains(origin.Value) || IsOwn(request, origin.Value))))
        {
            return true;
        }
        _metrics.OriginsRefused.Add(1, new KeyValuePair<string, object?>(GatewayMetrics.PathTag, request.Path));
        _logger.LogWarning("Refused {Path} to a page from origin {Origin}, which Gateway:AllowedOrigins does not list",
            request.Path, text.Length > MaxLoggedOriginLength ? text[..MaxLoggedOriginLength] : text);
        return false;
    }

    /// <summary>
    /// The page came from this gateway itself: the Host it was asked for, with its own scheme or the one a TLS
    /// proxy in front reports (X-Forwarded-Proto; a program could fake it, but a browser page cannot).
    /// </summary>
    private static bool IsOwn(RequestOrigin request, WebOrigin origin)
    {
        if (string.IsNullOrEmpty(request.Host))
        {
            return false;
        }
        var forwarded = (request.ForwardedProto ?? "").Split(',')[0].Trim();
        foreach (var scheme in new[] { request.Scheme, forwarded })
        {
            if (scheme.Length > 0 && WebOrigin.TryParse($"{scheme}://{request.Host}", out var own) && own.Value == origin)
            {
                return true;
            }
        }
        return false;
    }
}
