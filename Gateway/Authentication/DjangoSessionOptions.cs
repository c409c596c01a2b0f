namespace Realtime.Gateway.Authentication;

/// <summary>How to read the Django sessions that the Django site writes to Redis.</summary>
public sealed record DjangoSessionOptions
{
    /// <summary>
    /// <c>django.contrib.sessions.</c> + the session store class name; django-redis-sessions'
    /// store is called <c>SessionStore</c>.
    /// </summary>
    public const string DefaultSessionSalt = "django.contrib.sessions.SessionStore";

    /// <summary>The Django site's SECRET_KEY.</summary>
    public string SecretKey { get; init; } = "";

    /// <summary>Django's SECRET_KEY_FALLBACKS: older keys still accepted during key rotation.</summary>
    public string[] SecretKeyFallbacks { get; init; } = [];

    public string SessionSalt { get; init; } = DefaultSessionSalt;

    /// <summary>
    /// SESSION_REDIS_PREFIX of django-redis-sessions. Empty means the Redis key is the bare session key,
    /// otherwise it is <c>prefix + ":" + sessionKey</c>.
    /// </summary>
    public string RedisKeyPrefix { get; init; } = "";

    // The compiler-generated ToString would print the secrets into logs.
    public override string ToString() =>
        $"DjangoSessionOptions {{ SecretKey = <redacted>, SecretKeyFallbacks = <{SecretKeyFallbacks?.Length ?? 0} redacted>, "
        + $"SessionSalt = {SessionSalt}, RedisKeyPrefix = {RedisKeyPrefix} }}";
}
