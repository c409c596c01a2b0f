using Microsoft.Extensions.Time.Testing;
using Realtime.Connections;
using Realtime.Gateway.Connections;

namespace Realtime.Tests.Gateway;

/// <summary>The bounded, conflating send queue that keeps slow clients from costing memory or other clients' time.</summary>
public sealed class OutgoingQueueTests
{
    private static ServerFrame Frame(string type, string? key = null) => ServerFrame.Create(type, new { }, conflationKey: key);

    private readonly FakeTimeProvider _clock = new();

    private OutgoingQueue Queue(int capacity) => new(capacity, _clock);

    private static string? Next(OutgoingQueue queue) => queue.TryDequeue(out var frame) ? frame.Type : null;

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
    public void Once_the_client_is_behind_a_newer_frame_with_the_same_key_replaces_the_pending_one_in_place()
    {
        var queue = Queue(10);
        queue.TryEnqueue(Frame("chart-1-v1", "chart:1"), out _);
        _clock.Advance(OutgoingQueue.ConflateAfter);
        queue.TryEnqueue(Frame("event"), out _);
        queue.TryEnqueue(Frame("chart-1-v2", "chart:1"), out _);
        queue.TryEnqueue(Frame("chart-2-v1", "chart:2"), out _);

        Assert.Equal(3, queue.Count);
        Assert.Equal(1, queue.Conflated);
        Assert.Equal("chart-1-v2", Next(queue));
        Assert.Equal("event", Next(queue));
        Assert.Equal("chart-2-v1", Next(queue));
    }

    [Fact]
    public void A_client_that_keeps_up_gets_every_frame_of_a_burst_in_order()
    {
        var queue = Queue(8);
        for (var i = 0; i < 20; i++)
        {
            queue.TryEnqueue(Frame($"update-{i}", "chart:1"), out _);
        }

        Assert.Equal(0, queue.Conflated);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal($"update-{i}", Next(queue));
        }
    }

    [Fact]
    public void Conflated_frames_never_fill_the_queue()
    {
        var queue = Queue(8);

        for (var i = 0; i < 100_000; i++)
        {
            Assert.True(queue.TryEnqueue(Frame("update", $"chart:{i % 5}"), out _));
        }

        Assert.Equal(5 * OutgoingQueue.MaxPerKey, queue.Count);

        _clock.Advance(OutgoingQueue.ConflateAfter);
        queue.TryEnqueue(Frame("newest", "chart:0"), out _);
        Assert.Equal(5 * OutgoingQueue.MaxPerKey, queue.Count);
    }

    [Fact]
    public void A_client_behind_gets_the_newest_state_after_what_it_already_has_queued()
    {
        var queue = Queue(8);
        queue.TryEnqueue(Frame("v1", "chart:1"), out _);
        queue.TryEnqueue(Frame("v2", "chart:1"), out _);
        _clock.Advance(OutgoingQueue.ConflateAfter);
        queue.TryEnqueue(Frame("v3", "chart:1"), out _);
        queue.TryEnqueue(Frame("v4", "chart:1"), out _);

        Assert.Equal("v1", Next(queue));
        Assert.Equal("v4", Next(queue));
        Assert.Null(Next(queue));
        Assert.Equal(2, queue.Conflated);
    }

    [Fact]
    public void Frames_that_may_not_be_dropped_are_refused_past_capacity()
    {
        var queue = Queue(3);

        Assert.True(queue.TryEnqueue(Frame("1"), out _));
        Assert.True(queue.TryEnqueue(Frame("2"), out _));
        Assert.True(queue.TryEnqueue(Frame("3"), out _));
        Assert.False(queue.TryEnqueue(Frame("4"), out _));
        Assert.True(queue.TryEnqueue(Frame("chart", "chart:1"), out _));
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
