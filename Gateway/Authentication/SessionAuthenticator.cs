using Microsoft.Extensions.Options;
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

    public async Task<LoginResult> Authenticate(HttpContext http)
    {
        var sessionId = http.Request.Cookies[gateway.Value.SessionCookieName];
        if (string.IsNullOrEmpty(sessionId))
        {
            sessionId = http.Request.Query[gateway.Value.SessionQueryParameter];
        }
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
