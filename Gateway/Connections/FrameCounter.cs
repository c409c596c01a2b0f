using Realtime.Connections;

namespace Realtime.Gateway.Connections;

/// <summary>
/// Counts the frames one sender run writes and adds them to the gateway's counters once per run of one type, not once
/// per frame: a tagged counter's add is a lookup of its tag, and a fan-out writes hundreds of thousands of frames a
/// second, nearly all of one type.
/// </summary>
internal struct FrameCounter(GatewayMetrics metrics)
{
    private string? _type;
    private long _frames;
    private long _errors;

    public void Add(string type)
    {
        if (!string.Equals(type, _type, StringComparison.Ordinal))
        {
            Report();
            _type = type;
        }
        _frames++;
        if (type == ServerFrame.ErrorType)
        {
            _errors++;
        }
    }

    /// <summary>Adds what was counted since the last report.</summary>
    public void Report()
    {
        if (_frames > 0)
        {
            metrics.FramesOut.Add(_frames, new KeyValuePair<string, object?>("type", _type));
        }
        if (_errors > 0)
        {
            metrics.Errors.Add(_errors);
        }
        (_frames, _errors) = (0, 0);
    }
}
