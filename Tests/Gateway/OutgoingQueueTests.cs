using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Realtime.Connections;
using Realtime.Gateway.Connections;
using Realtime.Quotes;

namespace Realtime.Tests.Gateway;

/// <summary>
/// The bounded send queue that keeps slow clients from costing memory or other clients' time, and conflates chart
/// updates by merging them, so a slow client never misses a bar.
/// </summary>
public sealed class OutgoingQueueTests
{
    private const string Chart = "X|1m|";

    private static ServerFrame Frame(string type, string? key = null) => ServerFrame.Create(type, new { }, conflationKey: key);

    /// <summary>A chart update numbered <paramref name="seq"/> that changed the bars opening at <paramref name="times"/> (close = seq).</summary>
    private static ServerFrame Update(long seq, params long[] times) =>
        new ChartUpdate(Chart, "e1", seq, seq - 1, [.. times.Select(t => new ChartPoint(new Bar(t, 1, 1, 1, seq, 1), [[seq]]))]).Encode("chart:" + Chart);

    private static ServerFrame Snapshot(string name) => ServerFrame.Create(name, new { }, conflationKey: "chart:" + Chart);

    private readonly FakeTimeProvider _clock = new();

    private OutgoingQueue Queue(int capacity) => new(capacity, _clock);

    private static string? Next(OutgoingQueue queue) => queue.TryDequeue(out var frame) ? Describe(frame) : null;

    /// <summary>A frame as the client reads it: its type, or for an update <c>seq/prev:bar@close,...</c>.</summary>
    private static string Describe(ServerFrame frame)
    {
        using var json = JsonDocument.Parse(frame.Utf8Json);
        var type = json.RootElement.GetProperty("type").GetString()!;
        if (type != ChartUpdate.Type)
        {
            return type;
        }
        var data = json.RootElement.GetProperty("data");
        var bars = data.GetProperty("bars").EnumerateArray().Select(b => $"{b[0].GetInt64()}@{b[4].GetDouble()}");
        var outputs = data.GetProperty("indicators")[0].EnumerateArray().Select(o => o[0].GetDouble());
        Assert.Equal(data.GetProperty("bars").EnumerateArray().Select(b => b[4].GetDouble()), outputs);
        return $"{data.GetProperty("seq").GetInt64()}/{data.GetProperty("prev").GetInt64()}:{string.Join(",", bars)}";
    }

    [Fact]
    public void Frames_without_a_key_come_out_in_order()
    {
        var queue = Queue(10);
        queue.TryEnqueue(Frame("a"), out _);
        queue.TryEnqueue(Frame("b"), out _);
        queue.TryEnqueue(Frame("c"), out _);

        Assert.Equal("a", Next(queue));
        Assert.Equal("b", Next(queue));
        Assert.Equal("c", Next(queue));
        Assert.Null(Next(queue));
    }

    [Fact]
    public void Once_the_client_is_behind_a_newer_update_is_merged_into_the_waiting_one_keeping_every_bar()
    {
        var queue = Queue(10);
        queue.TryEnqueue(Update(1, 100), out _);
        _clock.Advance(OutgoingQueue.ConflateAfter);
        queue.TryEnqueue(Frame("event"), out _);
        queue.TryEnqueue(Update(2, 100, 200), out _);
        queue.TryEnqueue(Update(3, 300), out _);
        queue.TryEnqueue(Update(4, 300), out _);

        Assert.Equal(2, queue.Count);
        Assert.Equal(3, queue.Conflated);
        Assert.Equal("4/0:100@2,200@2,300@4", Next(queue));
        Assert.Equal("event", Next(queue));
        Assert.Null(Next(queue));
    }

    [Fact]
    public void A_client_that_keeps_up_gets_every_update_of_a_burst_in_order()
    {
        var queue = Queue(8);
        for (var i = 1; i <= 20; i++)
        {
            queue.TryEnqueue(Update(i, i * 60), out _);
        }

        Assert.Equal(0, queue.Conflated);
        for (var i = 1; i <= 20; i++)
        {
            Assert.Equal($"{i}/{i - 1}:{i * 60}@{i}", Next(queue));
        }
    }

    [Fact]
    public void Merged_updates_never_fill_the_queue_and_lose_no_bar()
    {
        var queue = Queue(8);

        for (var i = 1; i <= 10_000; i++)
        {
            Assert.True(queue.TryEnqueue(Update(i, i), out _));
        }

        Assert.Equal(OutgoingQueue.MaxPerKey, queue.Count);
        var received = new List<string>();
        while (Next(queue) is { } frame)
        {
            received.Add(frame);
        }
        // Every bar 1..10000 reaches the client, each with its newest value, and each update follows the one before.
        var bars = received.SelectMany(f => f[(f.IndexOf(':') + 1)..].Split(',')).ToList();
        Assert.Equal(Enumerable.Range(1, 10_000).Select(i => $"{i}@{i}"), bars);
        var links = received.Select(f => f[..f.IndexOf(':')].Split('/').Select(long.Parse).ToArray()).ToList();
        Assert.Equal(0, links[0][1]);
        Assert.All(links.Zip(links.Skip(1)), pair => Assert.Equal(pair.First[0], pair.Second[1]));
    }

    [Fact]
    public void A_client_behind_gets_the_newest_state_after_what_it_already_has_queued()
    {
        var queue = Queue(8);
        queue.TryEnqueue(Update(1, 100), out _);
        queue.TryEnqueue(Update(2, 100), out _);
        _clock.Advance(OutgoingQueue.ConflateAfter);
        queue.TryEnqueue(Update(3, 100), out _);
        queue.TryEnqueue(Update(4, 160), out _);

        Assert.Equal("1/0:100@1", Next(queue));
        Assert.Equal("4/1:100@3,160@4", Next(queue));
        Assert.Null(Next(queue));
        Assert.Equal(2, queue.Conflated);
    }

    [Fact]
    public void Nothing_after_a_snapshot_is_merged_into_an_update_before_it()
    {
        var queue = Queue(8);
        queue.TryEnqueue(Update(1, 100), out _);
        _clock.Advance(OutgoingQueue.ConflateAfter);
        queue.TryEnqueue(Snapshot("chart.snapshot"), out _);
        queue.TryEnqueue(Update(2, 100), out _);
        queue.TryEnqueue(Update(3, 160), out _);

        Assert.Equal("1/0:100@1", Next(queue));
        Assert.Equal("chart.snapshot", Next(queue));
        Assert.Equal("3/1:100@2,160@3", Next(queue));
        Assert.Null(Next(queue));
    }

    [Fact]
    public void Updates_taken_while_their_chain_is_sent_still_merge_into_the_newest()
    {
        var queue = Queue(8);
        queue.TryEnqueue(Update(1, 100), out _);
        queue.TryEnqueue(Update(2, 100), out _);
        Assert.Equal("1/0:100@1", Next(queue));
        _clock.Advance(OutgoingQueue.ConflateAfter);
        queue.TryEnqueue(Update(3, 160), out _);
        Assert.Equal("3/1:100@2,160@3", Next(queue));
        queue.TryEnqueue(Update(4, 160), out _);
        Assert.Equal("4/3:160@4", Next(queue));
    }

    [Fact]
    public void Frames_that_may_not_be_dropped_are_refused_past_capacity()
    {
        var queue = Queue(3);

        Assert.True(queue.TryEnqueue(Frame("1"), out _));
        Assert.True(queue.TryEnqueue(Frame("2"), out _));
        Assert.True(queue.TryEnqueue(Frame("3"), out _));
        Assert.False(queue.TryEnqueue(Frame("4"), out _));
        Assert.True(queue.TryEnqueue(Update(1, 100), out _));
    }

    [Fact]
    public void A_completed_queue_delivers_what_it_holds_then_ends()
    {
        var queue = Queue(3);
        queue.TryEnqueue(Frame("last words"), out _);

        queue.Complete(discardPending: false);

        Assert.True(queue.IsCompleted);
        Assert.Equal("last words", Next(queue));
        Assert.Null(Next(queue));
        Assert.True(queue.TryEnqueue(Frame("too late"), out var startSender));
        Assert.False(startSender);
        Assert.Null(Next(queue));
    }

    [Fact]
    public void Discarding_on_complete_drops_what_is_pending()
    {
        var queue = Queue(3);
        queue.TryEnqueue(Frame("never sent"), out _);

        queue.Complete(discardPending: true);

        Assert.Null(Next(queue));
    }

    [Fact]
    public void Only_a_frame_that_finds_the_queue_idle_asks_for_a_sender()
    {
        var queue = Queue(10);

        queue.TryEnqueue(Frame("first"), out var first);
        queue.TryEnqueue(Frame("second"), out var second);
        Assert.True(first);
        Assert.False(second);

        // The sender empties the queue; its last, empty dequeue ends its turn.
        Assert.Equal("first", Next(queue));
        queue.TryEnqueue(Frame("while sending"), out var whileSending);
        Assert.False(whileSending);
        Assert.Equal("second", Next(queue));
        Assert.Equal("while sending", Next(queue));
        Assert.Null(Next(queue));

        queue.TryEnqueue(Frame("after"), out var after);
        Assert.True(after);
    }

    [Fact]
    public void Completing_an_idle_queue_asks_for_a_sender_to_close_the_socket()
    {
        var idle = Queue(3);
        Assert.True(idle.Complete(discardPending: false));

        var busy = Queue(3);
        busy.TryEnqueue(Frame("pending"), out _);
        Assert.False(busy.Complete(discardPending: false));
    }
}
