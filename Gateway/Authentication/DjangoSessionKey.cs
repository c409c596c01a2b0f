using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Realtime.Gateway.Authentication;

/// <summary>
/// Validates session keys taken from the browser's cookie before they become part of a Redis key.
/// </summary>
public static class DjangoSessionKey
{
    // Django itself makes 32 characters of [a-z0-9] and only insists on 8 or more; the upper bound and
    // the ASCII alphanumeric alphabet are ours, so a hostile cookie cannot smuggle separators, globs,
    // whitespace or megabytes into a Redis command.
    public const int MinLength = 8;
    public const int MaxLength = 64;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    public static bool IsValid([NotNullWhen(true)] string? sessionKey) =>
        sessionKey is { Length: >= MinLength and <= MaxLength }
        && !sessionKey.AsSpan().ContainsAnyExcept(Allowed);

    /// <summary>
    /// The Redis key django-redis-sessions stores <paramref name="sessionKey"/> under, or false when the
    /// session key is not acceptable.
    /// </summary>
    public static bool TryGetRedisKey(
        DjangoSessionOptions options,
        string? sessionKey,
        [NotNullWhen(true)] out string? redisKey)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!IsValid(sessionKey))
        {
            redisKey = null;
            return false;
        }

        redisKey = string.IsNullOrEmpty(options.RedisKeyPrefix)
            ? sessionKey
            : options.RedisKeyPrefix + ":" + sessionKey;
        return true;
    }
}
