using System.Diagnostics;
using Realtime.Bench.Measurement;
using StackExchange.Redis;

namespace Realtime.Bench.Load;

/// <summary>
/// Pushes quotes onto the service queue at a steady rate, round robin over the symbols, and records each quote's
/// send time just before its LPUSH leaves. Runs on a thread of its own so a busy thread pool cannot delay sends.
/// </summary>
public sealed class QuotePusher(IDatabase redis, string queue, IReadOnlyList<string> symbols, int[] viewersPerSymbol, StreamMeasurements measurements)
{
    private const int MaxPerPush = 2000;
    private readonly long[] _lastTime = new long[symbols.Count];
    private long _expectedInWindow;
    private long _sentInWindow;
    private long _nextSeq;

    /// <summary>Frames the clients should receive for the quotes sent inside the measurement window.</summary>
    public long ExpectedInWindow => Interlocked.Read(ref _expectedInWindow);

    public long SentInWindow => Interlocked.Read(ref _sentInWindow);

    /// <summary>Sequence numbers below this are free for untimed quotes (the seeds) or an earlier step's.</summary>
    public long FirstSeq { get; init; } = 1;

    /// <summary>The first sequence number not pushed yet: where a later step goes on numbering.</summary>
    public long NextSeq => Interlocked.Read(ref _nextSeq);

    /// <summary>Pushes at <paramref name="rate"/> quotes a second until cancelled or <paramref name="limit"/> has passed.</summary>
    public Task Run(double rate, TimeSpan limit, CancellationToken stopping) =>
        Task.Factory.StartNew(() => Loop(rate, limit, stopping), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>One quote per symbol, untimed, so every symbol exists before clients ask for it.</summary>
    public static async Task Seed(IDatabase redis, string queue, IReadOnlyList<string> symbols)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await redis.ListLeftPushAsync(queue, [.. symbols.Select((s, i) => (RedisValue)QuoteMessages.Quote(s, i + 1, now))]);
    }

    private void Loop(double rate, TimeSpan limit, CancellationToken stopping)
    {
        _nextSeq = FirstSeq;
        var end = measurements.SendTimes.End;
        var started = Stopwatch.GetTimestamp();
        var batch = new List<RedisValue>(MaxPerPush);
        while (!stopping.IsCancellationRequested)
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (elapsed >= limit)
            {
                break;
            }
            var due = Math.Min((long)(elapsed.TotalSeconds * rate) + FirstSeq - _nextSeq, MaxPerPush);
            if (due > 0 && _nextSeq + due < end)
            {
                Push(batch, due);
            }
            // About a millisecond on Linux: fine-grained enough for 1,000 quotes/s without spinning a core.
            Thread.Sleep(1);
        }
    }

    private void Push(List<RedisValue> batch, long count)
    {
        batch.Clear();
        var unixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var first = _nextSeq;
        for (var seq = first; seq < first + count; seq++)
        {
            var symbol = (int)(seq % symbols.Count);
            // A quote older than its symbol's latest is ignored by design; the wall clock may step back.
            _lastTime[symbol] = Math.Max(_lastTime[symbol], unixMs);
            batch.Add(QuoteMessages.Quote(symbols[symbol], seq, _lastTime[symbol]));
        }
        var now = Stopwatch.GetTimestamp();
        var inWindow = measurements.InWindow(now);
        for (var seq = first; seq < first + count; seq++)
        {
            measurements.SendTimes.Record(seq, now);
            if (inWindow)
            {
                Interlocked.Add(ref _expectedInWindow, viewersPerSymbol[seq % symbols.Count]);
                Interlocked.Increment(ref _sentInWindow);
            }
        }
        Interlocked.Exchange(ref _nextSeq, first + count);
        // LPUSH of several values keeps their order for a consumer popping from the right: oldest first.
        redis.ListLeftPush(queue, [.. batch], flags: CommandFlags.FireAndForget);
    }
}
