using System.Text.Json;
using StackExchange.Redis;

namespace Realtime.Services;

/// <summary>
/// <c>&lt;queue&gt;:dead</c>: rejected messages with their reason, newest first, trimmed to a cap so a flood of bad
/// input cannot fill Redis. Each entry: <c>{reason, message, queue, at}</c> with the original text in <c>message</c>.
/// </summary>
internal static class DeadLetterList
{
    public static async Task Add(IDatabaseAsync db, ServiceQueueKeys keys, IReadOnlyList<(string Raw, string Reason)> letters, int cap, DateTimeOffset now)
    {
        if (letters.Count == 0)
        {
            return;
        }
        var values = letters
            .Select(l => (RedisValue)JsonSerializer.Serialize(new { reason = l.Reason, message = l.Raw, queue = keys.Queue, at = now.ToUnixTimeMilliseconds() }))
            .ToArray();
        await db.ListLeftPushAsync(keys.DeadLetters, values);
        await db.ListTrimAsync(keys.DeadLetters, 0, cap - 1);
    }
}
