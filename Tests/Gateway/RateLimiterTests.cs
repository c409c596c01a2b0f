using Microsoft.Extensions.Time.Testing;
using Realtime.Gateway.Connections;

namespace Realtime.Tests.Gateway;

public sealed class RateLimiterTests
{
    [Fact]
    public void A_burst_passes_then_frames_are_refused_and_counted_as_strikes()
    {
        var clock = new FakeTimeProvider();
        var limiter = new RateLimiter(perSecond: 10, burst: 3, maxStrikes: 2, clock);

        Assert.True(limiter.TryAcquire());
        Assert.True(limiter.TryAcquire());
        Assert.True(limiter.TryAcquire());
        Assert.False(limiter.TryAcquire());
        Assert.False(limiter.Exhausted);
        Assert.False(limiter.TryAcquire());
        Assert.True(limiter.Exhausted);
    }

    [Fact]
    public void Tokens_come_back_at_the_sustained_rate_and_a_quiet_client_is_forgiven()
    {
        var clock = new FakeTimeProvider();
        var limiter = new RateLimiter(perSecond: 10, burst: 2, maxStrikes: 5, clock);
        limiter.TryAcquire();
        limiter.TryAcquire();
        Assert.False(limiter.TryAcquire());

        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(limiter.TryAcquire());
        Assert.Equal(1, limiter.Strikes);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limiter.TryAcquire());
        Assert.Equal(0, limiter.Strikes);
    }
}
