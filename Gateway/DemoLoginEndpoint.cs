using System.Buffers;
using Microsoft.Extensions.Options;
using Realtime.Gateway.Authentication;
using Realtime.Gateway.Security;
using StackExchange.Redis;

namespace Realtime.Gateway;

/// <summary>
/// <c>GET /demo/login?user=&lt;id&gt;</c>: logs the browser in as any user without a Django site, by writing the
/// session the site would have written. Only mapped when <c>Gateway:DemoLogin</c> is on (scripts/run.sh, the demo
/// page): it lets anybody who can reach the gateway be anybody.
/// </summary>
internal static class DemoLoginEndpoint
{
    public const string Path = "/demo/login";
    public const string DefaultUser = "demo";
    public const int MaxUserIdLength = 32;

    /// <summary>How long the demo session lives in Redis and in the browser.</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    private const int MaxKeyAttempts = 3;

    private static readonly SearchValues<char> UserIdCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");

    public static IEndpointRouteBuilder MapDemoLogin(this IEndpointRouteBuilder endpoints)
    {
        endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DemoLoginEndpoint)).LogWarning(
            "Gateway:DemoLogin is on: anybody who can reach {Path} can log in as any user. Never turn it on in production.", Path);
        endpoints.MapGet(Path, Login);
        return endpoints;
    }

    public static bool IsValidUserId(string userId) =>
        userId.Length is >= 1 and <= MaxUserIdLength && !userId.AsSpan().ContainsAnyExcept(UserIdCharacters);

    private static async Task<IResult> Login(
        HttpContext http,
        IConnectionMultiplexer redis,
        IOptions<DjangoSessionOptions> django,
        IOptions<GatewayOptions> gateway,
        TimeProvider time,
        OriginPolicy origins,
        ILoggerFactory loggers)
    {
        // A script of another site must not plant a session in this browser (login CSRF). Top-level navigations, the
        // demo page's own link, send no Origin on GET and are not affected.
        if (!origins.Allows(http.Request))
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }
        // Several ?user= values join with commas, which the check refuses.
        var userId = http.Request.Query.TryGetValue("user", out var given) ? given.ToString() : DefaultUser;
        if (!IsValidUserId(userId))
        {
            return Results.Text($"user must be 1 to {MaxUserIdLength} characters of A-Z a-z 0-9 _ -", statusCode: StatusCodes.Status400BadRequest);
        }

        var value = new DjangoSessionEncoder(django.Value).EncodeLogin(userId, time.GetUtcNow());
        var sessionKey = await Store(redis.GetDatabase(), django.Value, value);
        if (sessionKey is null)
        {
            return Results.Text("could not store a session; try again", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        http.Response.Cookies.Append(gateway.Value.SessionCookieName, sessionKey, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Path = "/",
            MaxAge = SessionLifetime,
            Secure = http.Request.IsHttps,
        });
        http.Response.Headers.CacheControl = "no-store";
        loggers.CreateLogger(typeof(DemoLoginEndpoint)).LogInformation("Demo login as user {UserId}", userId);
        return Results.Redirect("/");
    }

    /// <summary>Stores the value under a new session key, as django-redis-sessions' <c>create</c> does; null when Redis failed.</summary>
    private static async Task<string?> Store(IDatabase redis, DjangoSessionOptions django, string value)
    {
        try
        {
            // Like Django, never overwrite an existing session: a clash of 32 random characters is not worth more than a retry.
            for (var attempt = 0; attempt < MaxKeyAttempts; attempt++)
            {
                var sessionKey = DjangoSessionEncoder.NewSessionKey();
                if (DjangoSessionKey.TryGetRedisKey(django, sessionKey, out var redisKey)
                    && await redis.StringSetAsync(redisKey, value, SessionLifetime, When.NotExists))
                {
                    return sessionKey;
                }
            }
        }
        catch (RedisException)
        {
        }
        return null;
    }
}
