using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Realtime.Connections;
using Realtime.Topics;

namespace Realtime.Tests.Topics;

/// <summary>
/// A gateway's statement of its subscribers races the subscriptions a topic is still sending it. A subscriber the
/// statement could not yet name must stay counted: dropped, it would get no updates until the gateway's next
/// statement, which would then cost every subscriber on that gateway an unasked snapshot (seen as 576 snapshots
/// among 2,000 clients resuming after a rolling drain).
/// </summary>
public sealed class TopicAudienceTests
{
    private const string GatewayId = "gw-1";

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void A_subscriber_younger_than_the_join_grace_survives_a_statement_that_does_not_name_it()
    {
        var audience = NewAudience();
        audience.Add(Subscriber("old"));
        _time.Advance(TopicAudience.JoinGrace + TimeSpan.FromSeconds(1));
        audience.Add(Subscriber("joining"));

        // Taken on the gateway before "joining" got there: it names only "old".
        var unknown = audience.Reset(GatewayId, null!, ["old"]);

        Assert.Empty(unknown);
        Assert.Equal(2, audience.Subscribers);

        // Its next statement names it: known, so no snapshot is owed to anyone.
        Assert.Empty(audience.Reset(GatewayId, null!, ["old", "joining"]));
    }

    [Fact]
    public void A_statement_of_no_subscribers_keeps_the_gateway_while_one_is_joining()
    {
        var audience = NewAudience();
        audience.Add(Subscriber("joining"));

        audience.Reset(GatewayId, null!, []);

        Assert.Equal(1, audience.GatewayCount);
    }

    [Fact]
    public void A_subscriber_the_gateway_no_longer_names_after_the_grace_is_dropped_and_an_unnamed_one_is_reported()
    {
        var audience = NewAudience();
        audience.Add(Subscriber("gone"));
        audience.Add(Subscriber("stays"));
        _time.Advance(TopicAudience.JoinGrace);

        var unknown = audience.Reset(GatewayId, null!, ["stays", "served-by-an-earlier-activation"]);

        Assert.Equal(["served-by-an-earlier-activation"], unknown.ToArray());
        Assert.Equal(2, audience.Subscribers);
        _time.Advance(TopicAudience.JoinGrace);
        audience.Reset(GatewayId, null!, []);
        Assert.Equal(0, audience.GatewayCount);
    }

    [Fact]
    public void A_subscriber_that_just_left_is_not_relearned_from_a_statement_taken_before_it_left()
    {
        var audience = NewAudience();
        audience.Add(Subscriber("stays"));
        audience.Add(Subscriber("leaving"));
        _time.Advance(TopicAudience.JoinGrace);
        audience.Remove(GatewayId, "leaving");

        // Taken on the gateway before the unsubscription got there: it still names "leaving". Re-learning it would
        // push an unasked snapshot to "stays".
        var unknown = audience.Reset(GatewayId, null!, ["stays", "leaving"]);

        Assert.Empty(unknown);
        Assert.Equal(1, audience.Subscribers);
    }

    [Fact]
    public void A_subscriber_that_left_and_came_back_is_known_and_one_the_gateway_still_names_after_the_grace_is_relearned()
    {
        var audience = NewAudience();
        audience.Add(Subscriber("back"));
        audience.Add(Subscriber("stuck"));
        audience.Remove(GatewayId, "back");
        audience.Remove(GatewayId, "stuck");
        audience.Add(Subscriber("back"));

        Assert.Empty(audience.Reset(GatewayId, null!, ["back", "stuck"]));
        Assert.Equal(1, audience.Subscribers);

        // The gateway never dropped "stuck" (its unsubscribe call failed): after the grace its statement restates it.
        _time.Advance(TopicAudience.JoinGrace);
        Assert.Equal(["stuck"], audience.Reset(GatewayId, null!, ["back", "stuck"]).ToArray());
        Assert.Equal(2, audience.Subscribers);
    }

    private TopicAudience NewAudience() =>
        new((id, gateway) => new GatewayOutbox(id, gateway, "topic", () => null, _ => { }, NullLogger.Instance), _time);

    private static ConnectionInfo Subscriber(string instanceId) => new(instanceId, GatewayId, null!);
}
