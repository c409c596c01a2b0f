using System.Collections.Concurrent;
using System.Diagnostics;
using Realtime.Bench.Load;

namespace Realtime.Bench.Measurement;

/// <summary>
/// What the receive loops of one streaming run count. The window (set by the pusher after its warm-up) decides what
/// counts: a frame is delivered when its quote was pushed inside the window, and counts toward throughput when it
/// arrives inside the window.
/// </summary>
public sealed class StreamMeasurements(SendTimes sendTimes)
{
    private const int KeptFailures = 5;

    private readonly ConcurrentQueue<string> _failureSamples = new();
    private long _windowStart = long.MaxValue;
    private long _windowEnd = long.MaxValue;
    private long _delivered;
    private long _arrivedInWindow;
    private long _bytesInWindow;
    private long _updateBytesInWindow;
    private long _updatesInCountedMessages;
    private long _failures;

    public LatencyHistogram Latency { get; } = new();

    public SendTimes SendTimes => sendTimes;

    public long Delivered => Interlocked.Read(ref _delivered);

    public long ArrivedInWindow => Interlocked.Read(ref _arrivedInWindow);

    public long BytesInWindow => Interlocked.Read(ref _bytesInWindow);

    /// <summary>
    /// Payload bytes per update: the bytes of the messages that carried updates and arrived in the window, divided
    /// by the updates they carried (a message may carry several). Pings, acknowledgements and snapshots are not counted.
    /// </summary>
    public double BytesPerUpdate
    {
        get
        {
            var updates = Interlocked.Read(ref _updatesInCountedMessages);
            return updates == 0 ? double.NaN : (double)Interlocked.Read(ref _updateBytesInWindow) / updates;
        }
    }

    public long Failures => Interlocked.Read(ref _failures);

    public IReadOnlyCollection<string> FailureSamples => _failureSamples;

    /// <summary>
    /// TCP bytes the clients read in the window per update arrived in it: framing, pings and compression included, so
    /// a deflated connection's real cost (<see cref="BytesPerUpdate"/> counts the messages as the application reads them).
    /// </summary>
    public double WireBytesPerUpdate
    {
        get
        {
            var updates = Interlocked.Read(ref _updatesInCountedMessages);
            return updates == 0 || _wireAtClose < _wireAtOpen ? double.NaN : (double)(_wireAtClose - _wireAtOpen) / updates;
        }
    }

    private long _wireAtOpen;
    private long _wireAtClose = -1;

    public void OpenWindow(long timestamp)
    {
        _wireAtOpen = Clients.WireBytes.Received;
        Volatile.Write(ref _windowStart, timestamp);
    }

    public void CloseWindow(long timestamp)
    {
        Volatile.Write(ref _windowEnd, timestamp);
        _wireAtClose = Clients.WireBytes.Received;
    }

    public bool InWindow(long timestamp) => timestamp >= Volatile.Read(ref _windowStart) && timestamp < Volatile.Read(ref _windowEnd);

    /// <summary>A message of <paramref name="bytes"/> arrived at <paramref name="receivedAt"/> (before it was parsed).</summary>
    public void OnMessage(long receivedAt, int bytes)
    {
        if (InWindow(receivedAt))
        {
            Interlocked.Add(ref _bytesInWindow, bytes);
        }
    }

    /// <summary>A message of <paramref name="bytes"/> that carried <paramref name="updates"/> updates was read.</summary>
    public void OnUpdateMessage(long receivedAt, int bytes, int updates)
    {
        if (InWindow(receivedAt))
        {
            Interlocked.Add(ref _updateBytesInWindow, bytes);
            Interlocked.Add(ref _updatesInCountedMessages, updates);
        }
    }

    public void OnUpdate(long seq, long receivedAt)
    {
        if (InWindow(receivedAt))
        {
            Interlocked.Increment(ref _arrivedInWindow);
        }
        var sentAt = sendTimes.SentAt(seq);
        if (sentAt != 0 && InWindow(sentAt))
        {
            Interlocked.Increment(ref _delivered);
            Latency.Record((long)Stopwatch.GetElapsedTime(sentAt, receivedAt).TotalMicroseconds);
        }
    }

    public void OnFailure(string reason)
    {
        if (Interlocked.Increment(ref _failures) <= KeptFailures)
        {
            _failureSamples.Enqueue(reason);
        }
    }
}
