using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using StackExchange.Redis;

namespace Realtime.Gateway.Authentication;

/// <summary>
/// Logs a connecting client in with the Django site's session: the id from the cookie (or the query string for
/// non-browser clients), the value from the site's Redis (django-redis-sessions), the user from Django's signed
/// payload. Refusal reasons are for the client and the log; they never contain the session id.
/// </summary>
internal sealed class SessionAuthenticator(
    IConnectionMultiplexer redis,
    DjangoSessionDecoder decoder,
    IOptions<DjangoSessionOptions> django,
    IOptions<GatewayOptions> gateway,
    ILogger<SessionAuthenticator> logger)
{
    private const string SessionStoreUnavailable = "the session store is unavailable; try again";

    public Task<LoginResult> Authenticate(HttpContext http) => Authenticate(SessionIdOf(http.Request));

    /// <summary>The session id from the session cookie, or else from the query string (non-browser clients).</summary>
    public string? SessionIdOf(HttpRequest request)
    {
        var sessionId = request.Cookies[gateway.Value.SessionCookieName];
        return string.IsNullOrEmpty(sessionId) ? request.Query[gateway.Value.SessionQueryParameter].ToString() : sessionId;
    }

    /// <summary>
    /// The same from a request's raw <c>Cookie</c> header and query string, read by ASP.NET Core's own cookie and query
    /// parsers, so a session id is found in exactly the headers <see cref="SessionIdOf(HttpRequest)"/> finds it in.
    /// </summary>
    public string? SessionIdOf(string? cookieHeader, string? queryString)
    {
        if (cookieHeader is not null)
        {
            var request = new FeatureCollection();
            request.Set<IHttpRequestFeature>(new HttpRequestFeature { Headers = new HeaderDictionary { [HeaderNames.Cookie] = cookieHeader } });
            var sessionId = new RequestCookiesFeature(request).Cookies[gateway.Value.SessionCookieName];
            if (!string.IsNullOrEmpty(sessionId))
            {
                return sessionId;
            }
        }
        return QueryHelpers.ParseNullableQuery(queryString) is { } query && query.TryGetValue(gateway.Value.SessionQueryParameter, out var values)
            ? values.ToString()
            : null;
    }

    /// <summary>Logs in with a session id the caller took from the request's cookie or query string.</summary>
    public async Task<LoginResult> Authenticate(string? sessionId)
    {
        if (string.IsNullOrEmpty(sessionId))
        {
            return LoginResult.Refused("no session id (cookie or query parameter)");
        }
        if (!DjangoSessionKey.TryGetRedisKey(django.Value, sessionId, out var redisKey))
        {
            return LoginResult.Refused("malformed session id");
        }

        // Without a connection a read would wait out the backlog timeout (5 s) before failing: answer at once instead.
        if (!redis.IsConnected)
        {
            return LoginResult.Unavailable(SessionStoreUnavailable);
        }
        RedisValue stored;
        try
        {
            stored = await redis.GetDatabase().StringGetAsync(redisKey);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Only the kind of failure: StackExchange.Redis puts the command's key, the session id, in its messages.
            logger.LogWarning("Session store unreachable during login: {Failure}",
                e is RedisConnectionException connection ? connection.FailureType.ToString() : e.GetType().Name);
            return LoginResult.Unavailable(SessionStoreUnavailable);
        }
        if (stored.IsNullOrEmpty)
        {
            return LoginResult.Refused("unknown or expired session");
        }

        var decoded = decoder.Decode(stored.ToString());
        if (!decoded.IsAuthenticated)
        {
            logger.LogInformation("Login refused: {Rejection}", decoded.Rejection);
            return LoginResult.Refused(decoded.Rejection switch
            {
                DjangoSessionRejection.Anonymous => "the session is not logged in",
                DjangoSessionRejection.BadSignature => "the session's signature does not verify",
                _ => "the session is not a Django session",
            });
        }
        return LoginResult.Success(decoded.UserId);
    }
}
