namespace Realtime.Gateway.Connections;

/// <summary>
/// A token bucket per connection. Refused frames are counted as strikes until the client has been quiet long
/// enough for the bucket to fill again; too many strikes in one flood close the connection.
/// </summary>
internal sealed class RateLimiter(double perSecond, int burst, int maxStrikes, TimeProvider clock)
{
    private double _tokens = burst;
    private long _lastRefill = clock.GetTimestamp();

    public int Strikes { get; private set; }

    public bool Exhausted => Strikes >= maxStrikes;

    public bool TryAcquire()
    {
        var now = clock.GetTimestamp();
        _tokens = Math.Min(burst, _tokens + clock.GetElapsedTime(_lastRefill, now).TotalSeconds * perSecond);
        _lastRefill = now;
        if (_tokens >= burst)
        {
            Strikes = 0;
        }
        if (_tokens >= 1)
        {
            _tokens -= 1;
            return true;
        }
        Strikes++;
        return false;
    }
}
