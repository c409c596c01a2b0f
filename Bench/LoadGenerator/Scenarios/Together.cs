using StackExchange.Redis;

namespace Realtime.Bench.Scenarios;

/// <summary>
/// A barrier for several generator processes of one run, kept in the run's Redis: each counts itself in and waits
/// until all have, so no generator measures latency while another is still opening connections.
/// </summary>
public static class Together
{
    private const string Key = "bench:together";

    public static async Task Wait(IDatabase redis, int generators, TimeSpan timeout)
    {
        await redis.StringIncrementAsync(Key);
        var deadline = DateTime.UtcNow + timeout;
        while ((long)await redis.StringGetAsync(Key) < generators)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"only {(long)await redis.StringGetAsync(Key)} of {generators} generators were ready within {timeout}");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }
}
