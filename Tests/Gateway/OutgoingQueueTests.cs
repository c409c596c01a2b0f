using Realtime.Connections;
using Realtime.Gateway.Connections;

namespace Realtime.Tests.Gateway;

/// <summary>The bounded, conflating send queue that keeps slow clients from costing memory or other clients' time.</summary>
public sealed class OutgoingQueueTests
{
    private static ServerFrame Frame(string type, string? key = null) => ServerFrame.Create(type, new { }, conflationKey: key);

    [Fact]
    public async Task Frames_without_a_key_come_out_in_order()
    {
        var queue = new OutgoingQueue(10);
        queue.TryEnqueue(Frame("a"));
        queue.TryEnqueue(Frame("b"));
        queue.TryEnqueue(Frame("c"));

        Assert.Equal("a", (await queue.Dequeue(default))!.Type);
        Assert.Equal("b", (await queue.Dequeue(default))!.Type);
        Assert.Equal("c", (await queue.Dequeue(default))!.Type);
    }

    [Fact]
    public async Task A_newer_frame_with_the_same_key_replaces_the_pending_one_in_place()
    {
        var queue = new OutgoingQueue(10);
        queue.TryEnqueue(Frame("chart-1-v1", "chart:1"));
        queue.TryEnqueue(Frame("event"));
        queue.TryEnqueue(Frame("chart-1-v2", "chart:1"));
        queue.TryEnqueue(Frame("chart-2-v1", "chart:2"));

        Assert.Equal(3, queue.Count);
        Assert.Equal(1, queue.Conflated);
        Assert.Equal("chart-1-v2", (await queue.Dequeue(default))!.Type);
        Assert.Equal("event", (await queue.Dequeue(default))!.Type);
        Assert.Equal("chart-2-v1", (await queue.Dequeue(default))!.Type);
    }

    [Fact]
    public void Conflated_frames_never_fill_the_queue()
    {
        var queue = new OutgoingQueue(8);

        for (var i = 0; i < 100_000; i++)
        {
            Assert.True(queue.TryEnqueue(Frame("update", $"chart:{i % 5}")));
        }

        Assert.Equal(5, queue.Count);
    }

    [Fact]
    public void Frames_that_may_not_be_dropped_are_refused_past_capacity()
    {
        var queue = new OutgoingQueue(3);

        Assert.True(queue.TryEnqueue(Frame("1")));
        Assert.True(queue.TryEnqueue(Frame("2")));
        Assert.True(queue.TryEnqueue(Frame("3")));
        Assert.False(queue.TryEnqueue(Frame("4")));
        Assert.True(queue.TryEnqueue(Frame("chart", "chart:1")));
    }

    [Fact]
    public async Task A_completed_queue_delivers_what_it_holds_then_ends()
    {
        var queue = new OutgoingQueue(3);
        queue.TryEnqueue(Frame("last words"));

        queue.Complete(discardPending: false);

        Assert.Equal("last words", (await queue.Dequeue(default))!.Type);
        Assert.Null(await queue.Dequeue(default));
    }

    [Fact]
    public async Task Discarding_on_complete_drops_what_is_pending()
    {
        var queue = new OutgoingQueue(3);
        queue.TryEnqueue(Frame("never sent"));

        queue.Complete(discardPending: true);

        Assert.Null(await queue.Dequeue(default));
    }

    [Fact]
    public async Task A_waiting_reader_wakes_when_a_frame_arrives()
    {
        var queue = new OutgoingQueue(3);
        var reading = queue.Dequeue(default).AsTask();
        Assert.False(reading.IsCompleted);

        queue.TryEnqueue(Frame("wake"));

        Assert.Equal("wake", (await reading.WaitAsync(TimeSpan.FromSeconds(5)))!.Type);
    }
}
