using System.Text.Json;
using Realtime.Services;

namespace Realtime.Tests.Infrastructure;

/// <summary>Reads a cluster's dead-letter list the way an operator would, with LRANGE.</summary>
public static class DeadLetters
{
    /// <summary>Waits until <paramref name="raw"/> is in the dead-letter list and returns its entry.</summary>
    public static async Task<JsonElement> WaitFor(RealtimeCluster cluster, string raw)
    {
        JsonElement? letter = null;
        await Eventually.True(async () => (letter = await Find(cluster, raw)) is not null, $"'{raw}' is dead-lettered");
        return letter!.Value;
    }

    private static async Task<JsonElement?> Find(RealtimeCluster cluster, string raw)
    {
        foreach (var entry in await cluster.Redis.Database.ListRangeAsync(new ServiceQueueKeys(cluster.Queue).DeadLetters, 0, -1))
        {
            var letter = JsonDocument.Parse(entry.ToString()).RootElement;
            if (letter.GetProperty("message").GetString() == raw)
            {
                return letter;
            }
        }
        return null;
    }
}
