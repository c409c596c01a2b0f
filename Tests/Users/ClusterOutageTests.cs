using Realtime.Users;

namespace Realtime.Tests.Users;

/// <summary>What a handler's failure is answered with: an outage of the cluster is <c>unavailable</c>, anything else <c>internal</c>.</summary>
public sealed class ClusterOutageTests
{
    [Fact]
    public void A_grain_on_a_dead_silo_a_refused_message_or_a_timeout_is_an_outage()
    {
        Assert.True(ClusterOutage.Is(new SiloUnavailableException()));
        Assert.True(ClusterOutage.Is(new TimeoutException()));
        Assert.True(ClusterOutage.Is(new InvalidOperationException("wrapped", new SiloUnavailableException())));
        Assert.True(ClusterOutage.Is(new AggregateException(new TimeoutException(), new SiloUnavailableException())));
    }

    [Fact]
    public void A_bug_is_not_an_outage()
    {
        Assert.False(ClusterOutage.Is(new NullReferenceException()));
        Assert.False(ClusterOutage.Is(new InvalidOperationException("no cause")));
        Assert.False(ClusterOutage.Is(new AggregateException(new TimeoutException(), new ArgumentException())));
    }
}
