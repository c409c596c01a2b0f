using Realtime.Gateway;
using Realtime.Gateway.Connections;

namespace Realtime.Tests.Gateway;

/// <summary>A draining gateway closes its clients at the configured rate, and every one of them within its window.</summary>
public sealed class DrainScheduleTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(GatewayOptions.DefaultDrainBatchIntervalMilliseconds);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(GatewayOptions.DefaultDrainSeconds);

    /// <summary>The batches a drain of <paramref name="clients"/> makes when every batch goes out exactly on time.</summary>
    private static List<int> Batches(int clients, int batchSize, TimeSpan window, TimeSpan interval)
    {
        var batches = new List<int>();
        for (var remaining = clients; remaining > 0;)
        {
            var batch = DrainSchedule.NextBatch(remaining, batchSize, window - batches.Count * interval, interval);
            batches.Add(batch);
            remaining -= batch;
        }
        return batches;
    }

    [Fact]
    public void Two_thousand_clients_go_a_hundred_at_a_time_with_the_shipped_defaults()
    {
        var batches = Batches(2_000, GatewayOptions.DefaultDrainBatchSize, Window, Interval);

        Assert.Equal(Enumerable.Repeat(100, 20), batches);
        // The last batch leaves 3.8 s into the 5 s window.
        Assert.True((batches.Count - 1) * Interval < Window);
    }

    [Fact]
    public void More_clients_than_the_rate_allows_in_the_window_get_larger_batches_and_all_go_within_it()
    {
        var batches = Batches(50_000, GatewayOptions.DefaultDrainBatchSize, Window, Interval);

        Assert.Equal(50_000, batches.Sum());
        Assert.Equal(25, batches.Count);
        Assert.All(batches, b => Assert.Equal(2_000, b));
    }

    [Fact]
    public void A_batch_late_past_the_window_takes_everybody_left()
    {
        Assert.Equal(7_000, DrainSchedule.NextBatch(7_000, 100, TimeSpan.FromMilliseconds(-300), Interval));
        Assert.Equal(7_000, DrainSchedule.NextBatch(7_000, 100, TimeSpan.FromMilliseconds(150), Interval));
    }

    [Fact]
    public void A_drain_of_zero_seconds_closes_everybody_at_once()
    {
        Assert.Equal([1_234], Batches(1_234, 100, TimeSpan.Zero, Interval));
    }

    [Fact]
    public void Few_clients_go_in_one_batch()
    {
        Assert.Equal([3], Batches(3, 100, Window, Interval));
    }

    [Fact]
    public void The_close_reason_carries_the_reconnect_window_within_the_protocol_limit()
    {
        var reason = DrainSchedule.Reason(Interval);

        Assert.Equal("going away; reconnect within 200 ms", reason);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(DrainSchedule.Reason(TimeSpan.FromSeconds(10))) <= 123);
    }
}
