using Realtime.Connections;

namespace Realtime.Gateway.Connections;

/// <summary>
/// Paces one connection's updates of one topic to the cadence it asked for (<c>maxRate</c>): at most one update per
/// interval, and updates that come sooner are held and folded into one (<see cref="MergeableContent.Merge"/>, the
/// same merge a slow reader's queue uses), so the connection gets fewer frames but never misses a bar.
/// </summary>
/// <remarks>
/// What is held goes out when the interval ends, on a timer: a client that asked for one update a second sees the
/// last quote of a burst a second later at most, not when the next quote happens to come. A frame that cannot be
/// merged (a snapshot, <c>resumed</c>) is a barrier: what is held goes first, and nothing after it is folded into
/// anything before it. Offers of one topic come one publish call at a time, but the timer fires on its own thread,
/// so both take the lock.
/// </remarks>
internal sealed class TopicPacer
{
    private readonly object _gate = new();
    private readonly ClientConnection _connection;
    private readonly TimeProvider _clock;
    private readonly long _interval;
    private readonly ITimer _timer;
    private long _nextAt;
    private MergeableContent? _held;
    private ServerFrame? _heldFrame;
    private string? _heldKey;
    private bool _armed;
    private bool _stopped;

    public TopicPacer(ClientConnection connection, double maxRate, TimeProvider clock)
    {
        _connection = connection;
        _clock = clock;
        _interval = (long)(clock.TimestampFrequency / maxRate);
        _timer = clock.CreateTimer(_ => Elapsed(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void Offer(ServerFrame frame)
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }
            var now = _clock.GetTimestamp();
            if (frame.Mergeable is not { } content)
            {
                SendHeld();
                _connection.Send(frame);
                _nextAt = now + _interval;
                return;
            }
            if (_held is null && now >= _nextAt)
            {
                _connection.Send(frame);
                _nextAt = now + _interval;
                return;
            }
            if (_held is null)
            {
                (_held, _heldFrame, _heldKey) = (content, frame, frame.ConflationKey);
            }
            else
            {
                // Encoded anew when sent: the frame as queued says only the first of what is held now.
                (_held, _heldFrame) = (_held.Merge(content), null);
            }
            if (!_armed)
            {
                _armed = true;
                _timer.Change(_clock.GetElapsedTime(now, Math.Max(now, _nextAt)), Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Sends what is held now, ahead of frames the caller is about to queue (a new subscription's snapshot).</summary>
    public void Flush()
    {
        lock (_gate)
        {
            SendHeld();
        }
    }

    /// <summary>The subscription ended (or was replaced): nothing held is sent any more.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _stopped = true;
            _held = null;
            _heldFrame = null;
        }
        _timer.Dispose();
    }

    private void Elapsed()
    {
        lock (_gate)
        {
            _armed = false;
            if (_stopped || _held is null)
            {
                return;
            }
            var now = _clock.GetTimestamp();
            if (now < _nextAt)
            {
                // A snapshot went out meanwhile and started the interval afresh.
                _armed = true;
                _timer.Change(_clock.GetElapsedTime(now, _nextAt), Timeout.InfiniteTimeSpan);
                return;
            }
            SendHeld();
            _nextAt = now + _interval;
        }
    }

    private void SendHeld()
    {
        if (_held is null)
        {
            return;
        }
        _connection.Send(_heldFrame ?? _held.Encode(_heldKey));
        (_held, _heldFrame, _heldKey) = (null, null, null);
    }
}
