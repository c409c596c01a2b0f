using System.Diagnostics;
using Realtime.Bench.Load;
using StackExchange.Redis;

namespace Realtime.Bench.Scenarios;

/// <summary>
/// Pump throughput: quotes are written to a staging list and renamed onto the queue in one step, so a running,
/// warmed-up consumer finds them all at once; the time from the first message it takes until the queue is empty
/// gives messages per second. Start-up and just-in-time compilation are not counted (a warm-up load runs first).
/// </summary>
public static class PumpScenario
{
    private const int PushBatch = 1000;
    private static readonly long ProcessStarted = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>
    /// Puts <paramref name="count"/> quotes, round robin over <paramref name="symbols"/> symbols, onto the queue at
    /// once: pushed to a staging list first, then renamed onto the (empty) queue.
    /// </summary>
    public static async Task Load(IDatabase redis, string queue, string symbolPrefix, int symbols, int count, int firstSeq)
    {
        var staging = queue + ":bench-staging";
        await redis.KeyDeleteAsync(staging);
        await Preload(redis, staging, symbolPrefix, symbols, count, firstSeq);
        await redis.KeyRenameAsync(staging, queue);
    }

    /// <summary>
    /// Pushes <paramref name="count"/> quotes round robin over <paramref name="symbols"/> symbols, numbered from
    /// <paramref name="firstSeq"/>; a quote's time is its number in milliseconds after this process started, so a
    /// later load's quotes are all newer than an earlier one's and none is skipped as a repeat.
    /// </summary>
    public static async Task Preload(IDatabase redis, string queue, string symbolPrefix, int symbols, int count, int firstSeq = 0)
    {
        var names = QuoteMessages.Symbols(symbolPrefix, symbols);
        var start = ProcessStarted + firstSeq;
        for (var first = 0; first < count; first += PushBatch)
        {
            // Times one millisecond apart: every quote is newer than its symbol's last, so none is skipped.
            var values = Enumerable.Range(first, Math.Min(PushBatch, count - first))
                .Select(i => (RedisValue)QuoteMessages.Quote(names[i % symbols], i + 1, start + i))
                .ToArray();
            await redis.ListLeftPushAsync(queue, values);
        }
    }

    /// <summary>Waits for a consumer to start taking, then times it to an empty queue (bounded by <paramref name="timeout"/>).</summary>
    public static async Task<PumpResult> MeasureDrain(IDatabase redis, string queue, string server, long preloaded, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        long length;
        while ((length = await redis.ListLengthAsync(queue)) >= preloaded)
        {
            Check(deadline, timeout, "no consumer started taking from " + queue);
            await Task.Delay(5, cancellationToken);
        }
        var started = Stopwatch.GetTimestamp();
        var measured = length;
        while (await redis.ListLengthAsync(queue) > 0)
        {
            Check(deadline, timeout, queue + " was not drained");
            await Task.Delay(5, cancellationToken);
        }
        return new PumpResult(server, preloaded, measured, Stopwatch.GetElapsedTime(started));
    }

    private static void Check(Stopwatch elapsed, TimeSpan timeout, string what)
    {
        if (elapsed.Elapsed > timeout)
        {
            throw new TimeoutException($"{what} within {timeout}");
        }
    }
}
