using System.Buffers;
using System.Buffers.Binary;

namespace Realtime.Gateway.Connections;

/// <summary>
/// The upgraded connection's stream under a server WebSocket, able to gather the WebSocket frames of several queued
/// messages into one write: between <see cref="Hold"/> and <see cref="FlushHeldAsync"/> the WebSocket's writes are
/// copied into one pooled buffer, which then goes to Kestrel in one write, one flush and, usually, one <c>send</c>.
/// </summary>
/// <remarks>
/// A connection that is behind has several frames waiting; written one by one, each costs the gateway a pass through
/// the WebSocket's send lock, Kestrel's output pipe and the kernel's TCP path, which is where a fan-out spends most of
/// its time. Gathered, they cost one. Frames are still separate WebSocket messages, so clients see no difference.
/// The WebSocket also writes on its own (pongs, keep-alive pings, the close handshake): while held, those join the
/// batch in order; otherwise they go straight through. Writes to the inner stream never overlap: a gate admits one at
/// a time, and a batch is taken from the buffer only once it holds the gate, so nothing written after a batch can
/// overtake it. An idle connection holds no buffer. The batch's write is not followed by a flush: Kestrel's upgraded
/// stream flushes every write.
/// It also keeps the connection's heartbeat (<see cref="HeartbeatSweeper"/>): when it last read from the client, and a
/// way to write a ping between the WebSocket's frames.
/// </remarks>
internal sealed class SendBatchStream(Stream inner) : DuplexStream
{
    // Most batches are one frame of a few dozen to a few hundred bytes; a burst of connections each holding a larger
    // buffer for a moment would grow the heap for nothing. The buffer doubles when a batch needs more.
    private const int InitialBytes = 256;

    // A WebSocket ping as a server sends it (RFC 6455 5.5.2): final, opcode 0x9, unmasked, no payload.
    private static readonly ReadOnlyMemory<byte> PingFrame = new byte[] { 0x89, 0x00 };

    // A server frame's header: two bytes, and eight more for the longest payload length.
    private const int MaxHeaderBytes = 10;

    private readonly object _pendingGate = new();
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private byte[]? _pending;
    private int _pendingLength;
    private bool _holding;
    private long _lastReadAt = Environment.TickCount64;

    /// <summary>
    /// When the WebSocket last asked for the client's bytes (Environment.TickCount64). It asks again as soon as what
    /// came is taken (a frame, a pong), so an answer to a ping moves this past the ping.
    /// </summary>
    public long LastReadAt => Volatile.Read(ref _lastReadAt);

    /// <summary>Bytes gathered since <see cref="Hold"/>.</summary>
    public int HeldBytes
    {
        get
        {
            lock (_pendingGate)
            {
                return _pendingLength;
            }
        }
    }

    /// <summary>Writes from now on are gathered until <see cref="FlushHeldAsync"/>.</summary>
    public void Hold()
    {
        lock (_pendingGate)
        {
            _holding = true;
        }
    }

    /// <summary>Writes what was gathered in one write and stops gathering.</summary>
    public async ValueTask FlushHeldAsync()
    {
        await _writeGate.WaitAsync();
        byte[]? batch;
        int length;
        lock (_pendingGate)
        {
            (batch, length) = (_pending, _pendingLength);
            (_pending, _pendingLength, _holding) = (null, 0, false);
        }
        try
        {
            if (length > 0)
            {
                await inner.WriteAsync(batch.AsMemory(0, length));
            }
        }
        finally
        {
            _writeGate.Release();
            if (batch is not null)
            {
                ArrayPool<byte>.Shared.Return(batch);
            }
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        lock (_pendingGate)
        {
            if (_holding)
            {
                Append(buffer.Span);
                return default;
            }
        }
        return WriteThrough(buffer, cancellationToken);
    }

    /// <summary>
    /// The WebSocket over this stream negotiated no extension (no permessage-deflate), so a text message is one plain
    /// frame the connection can add to a held batch itself (<see cref="HoldTextFrame"/>).
    /// </summary>
    public bool PlainFrames { get; init; }

    /// <summary>
    /// Adds one final, unmasked text frame carrying <paramref name="utf8"/> (RFC 6455 5.2) to the held batch: the bytes
    /// the WebSocket would write for it, without its send lock, its buffer and a second copy. Only between
    /// <see cref="Hold"/> and <see cref="FlushHeldAsync"/>, and only with <see cref="PlainFrames"/>.
    /// </summary>
    public void HoldTextFrame(ReadOnlySpan<byte> utf8)
    {
        Span<byte> header = stackalloc byte[MaxHeaderBytes];
        header[0] = 0x81;
        int headerLength;
        if (utf8.Length < 126)
        {
            (header[1], headerLength) = ((byte)utf8.Length, 2);
        }
        else if (utf8.Length <= ushort.MaxValue)
        {
            header[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)utf8.Length);
            headerLength = 4;
        }
        else
        {
            header[1] = 127;
            BinaryPrimitives.WriteUInt64BigEndian(header[2..], (ulong)utf8.Length);
            headerLength = MaxHeaderBytes;
        }
        lock (_pendingGate)
        {
            if (!_holding || !PlainFrames)
            {
                throw new InvalidOperationException("A text frame is added only to a held batch of a WebSocket without extensions.");
            }
            Append(header[..headerLength]);
            Append(utf8);
        }
    }

    /// <summary>
    /// Writes a ping. The WebSocket writes each of its frames in one call, so the ping lands between frames: in the
    /// batch while one is held, otherwise through the same gate as every write.
    /// </summary>
    public ValueTask WritePingAsync() => WriteAsync(PingFrame);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Volatile.Write(ref _lastReadAt, Environment.TickCount64);
        return inner.ReadAsync(buffer, cancellationToken);
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        Volatile.Write(ref _lastReadAt, Environment.TickCount64);
        return inner.Read(buffer, offset, count);
    }

    /// <summary>
    /// The WebSocket flushes after every message; while held that would push each one out on its own, so only the
    /// held batch's write flushes then.
    /// </summary>
    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        lock (_pendingGate)
        {
            if (_holding)
            {
                return Task.CompletedTask;
            }
        }
        return inner.FlushAsync(cancellationToken);
    }

    public override void Flush() => inner.Flush();

    public override bool CanRead => inner.CanRead;

    public override bool CanWrite => inner.CanWrite;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            lock (_pendingGate)
            {
                if (_pending is not null)
                {
                    ArrayPool<byte>.Shared.Return(_pending);
                    (_pending, _pendingLength) = (null, 0);
                }
            }
        }
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
        return default;
    }

    private async ValueTask WriteThrough(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            await inner.WriteAsync(buffer, cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        var needed = _pendingLength + bytes.Length;
        if (_pending is null || needed > _pending.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(InitialBytes, needed * 2));
            if (_pending is not null)
            {
                _pending.AsSpan(0, _pendingLength).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_pending);
            }
            _pending = larger;
        }
        bytes.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength = needed;
    }
}
