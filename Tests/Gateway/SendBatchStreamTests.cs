using System.Net.WebSockets;
using System.Text;
using Realtime.Gateway.Connections;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Gateway;

/// <summary>
/// The stream under a server WebSocket that gathers the frames of a sender's run into one write: messages stay
/// separate and in order for the client, a batch is one write to the connection, and nothing overtakes a batch.
/// </summary>
public sealed class SendBatchStreamTests
{
    [Fact]
    public async Task Held_messages_leave_in_one_write_and_arrive_as_separate_messages_in_order()
    {
        var connection = new RecordingStream();
        var batches = new SendBatchStream(connection);
        using var server = WebSocket.CreateFromStream(batches, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });

        batches.Hold();
        foreach (var text in new[] { "one", "two", "three" })
        {
            await server.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        Assert.Empty(connection.Writes);
        Assert.Equal(0, connection.Flushes);
        Assert.True(batches.HeldBytes > 0);

        await batches.FlushHeldAsync();

        Assert.Single(connection.Writes);
        Assert.Equal(0, batches.HeldBytes);
        Assert.Equal(["one", "two", "three"], await Messages(connection.Bytes, 3));
    }

    [Fact]
    public async Task A_text_frame_the_connection_holds_itself_is_byte_for_byte_the_websockets_at_every_length_form()
    {
        // Payload lengths of each header form (RFC 6455 5.2): 7 bits, 16 bits, 64 bits.
        string[] texts = ["short", new string('m', 200), new string('l', 70_000)];
        var byWebSocket = new RecordingStream();
        using (var server = WebSocket.CreateFromStream(byWebSocket, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero }))
        {
            foreach (var text in texts)
            {
                await server.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            }
        }
        var held = new RecordingStream();
        var batches = new SendBatchStream(held) { PlainFrames = true };

        batches.Hold();
        foreach (var text in texts)
        {
            batches.HoldTextFrame(Encoding.UTF8.GetBytes(text));
        }
        await batches.FlushHeldAsync();

        Assert.Single(held.Writes);
        Assert.Equal(byWebSocket.Bytes, held.Bytes);
    }

    [Fact]
    public void A_text_frame_is_held_only_in_a_batch_of_a_websocket_without_extensions()
    {
        var plain = new SendBatchStream(new RecordingStream()) { PlainFrames = true };
        var extended = new SendBatchStream(new RecordingStream());
        extended.Hold();

        Assert.Throws<InvalidOperationException>(() => plain.HoldTextFrame("x"u8));
        Assert.Throws<InvalidOperationException>(() => extended.HoldTextFrame("x"u8));
    }

    [Fact]
    public async Task Messages_not_held_are_written_one_by_one()
    {
        var connection = new RecordingStream();
        var batches = new SendBatchStream(connection);
        using var server = WebSocket.CreateFromStream(batches, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });

        await server.SendAsync("a"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        await server.SendAsync("b"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

        Assert.Equal(2, connection.Writes.Count);
        Assert.Equal(["a", "b"], await Messages(connection.Bytes, 2));
    }

    [Fact]
    public async Task A_write_made_while_a_batch_is_being_written_waits_for_it()
    {
        var connection = new RecordingStream { Stall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var batches = new SendBatchStream(connection);

        batches.Hold();
        await batches.WriteAsync("batch"u8.ToArray());
        var flushing = batches.FlushHeldAsync().AsTask();
        await connection.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var later = batches.WriteAsync("later"u8.ToArray()).AsTask();

        Assert.False(later.IsCompleted, "a write overtook the batch being written");
        connection.Stall.SetResult();
        await Task.WhenAll(flushing, later).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["batch", "later"], connection.Writes.Select(w => Encoding.UTF8.GetString(w)));
    }

    [Fact]
    public async Task A_flush_with_nothing_held_writes_nothing_and_stops_holding()
    {
        var connection = new RecordingStream();
        var batches = new SendBatchStream(connection);

        batches.Hold();
        await batches.FlushHeldAsync();
        await batches.WriteAsync("direct"u8.ToArray());

        Assert.Equal(["direct"], connection.Writes.Select(w => Encoding.UTF8.GetString(w)));
    }

    [Fact]
    public async Task A_ping_written_while_messages_are_held_lands_between_whole_frames()
    {
        var connection = new RecordingStream();
        var batches = new SendBatchStream(connection);
        using var server = WebSocket.CreateFromStream(batches, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });

        batches.Hold();
        await server.SendAsync("one"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        await batches.WritePingAsync();
        await server.SendAsync("two"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        await batches.FlushHeldAsync();

        // "one" is a 5-byte frame (0x81, length 3); then the 2-byte ping (final, opcode 9, unmasked, empty); then "two".
        Assert.Equal(new byte[] { 0x81, 3, (byte)'o', (byte)'n', (byte)'e', 0x89, 0 }, connection.Bytes[..7]);
        // A client answers the ping inside its receive and still reads both messages.
        Assert.Equal(["one", "two"], await Messages(connection.Bytes, 2));
    }

    [Fact]
    public async Task The_last_read_is_when_the_websocket_last_asked_for_the_clients_bytes()
    {
        var batches = new SendBatchStream(new DuplexBytes([0x81, 0x80, 0, 0, 0, 0]));
        var before = batches.LastReadAt;
        await Eventually.True(() => Environment.TickCount64 > before, "the clock moved on");

        Assert.Equal(6, await batches.ReadAsync(new byte[16]));

        Assert.True(batches.LastReadAt > before);
    }

    /// <summary>Reads <paramref name="count"/> text messages from what a server WebSocket wrote.</summary>
    private static async Task<List<string>> Messages(byte[] written, int count)
    {
        using var client = WebSocket.CreateFromStream(new DuplexBytes(written), new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
        var messages = new List<string>();
        var buffer = new byte[1024];
        for (var i = 0; i < count; i++)
        {
            var result = await client.ReceiveAsync(buffer, CancellationToken.None);
            Assert.True(result.EndOfMessage);
            messages.Add(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }
        return messages;
    }

    /// <summary>The connection: records each write; with <see cref="Stall"/>, its first write waits for it.</summary>
    private sealed class RecordingStream : DuplexStream
    {
        public List<byte[]> Writes { get; } = [];

        public TaskCompletionSource? Stall { get; init; }

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public byte[] Bytes => [.. Writes.SelectMany(w => w)];

        public int Flushes { get; private set; }

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            Flushes++;
            return Task.CompletedTask;
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var copy = buffer.ToArray();
            if (Stall is { } stall && Writes.Count == 0 && !Entered.Task.IsCompleted)
            {
                Entered.SetResult();
                await stall.Task;
            }
            Writes.Add(copy);
        }

        public override int Read(byte[] buffer, int offset, int count) => 0;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(0);

        public override void Flush()
        {
        }
    }

    /// <summary>A client's side of the connection: reads what the server wrote, and swallows what the client writes.</summary>
    private sealed class DuplexBytes(byte[] incoming) : DuplexStream
    {
        private readonly MemoryStream _incoming = new(incoming);

        public override int Read(byte[] buffer, int offset, int count) => _incoming.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _incoming.ReadAsync(buffer, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count)
        {
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => default;

        public override void Flush()
        {
        }
    }
}
