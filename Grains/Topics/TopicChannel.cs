using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Realtime.Connections;

namespace Realtime.Topics;

/// <summary>
/// The publishing half of a topic, held by the grain that publishes it (a chart, a watchlist symbol): numbered
/// updates sent once per gateway with subscribers, snapshots, resume from the last few updates, and recovery when
/// the grain moves or a gateway stalls. The gateway fans each frame out to its own connections.
/// </summary>
/// <remarks>
/// <para>Every update is numbered within an epoch; an update names its epoch, and a gateway hands it only to
/// connections holding that epoch's snapshot (others make the gateway ask for a snapshot, see
/// <see cref="GatewayOutbox"/>). A grain starts a new epoch when its history changed in a way an update cannot say.</para>
/// <para>The gateways with subscribers are persisted (only when one comes or goes), so an activation that moved to
/// another silo sends them a fresh snapshot at once (<see cref="RestoreSubscribers"/>); gateways restate their
/// subscribers on a timer as well (<see cref="Refresh"/>).</para>
/// <para>Not thread-safe: it lives in one grain activation and is called from its turns.</para>
/// </remarks>
public sealed class TopicChannel
{
    public const int ResumableUpdates = 256;

    private readonly string _topic;
    private readonly IPersistentState<TopicGatewaysState> _saved;
    private readonly Func<ServerFrame?> _currentSnapshot;
    private readonly ILogger _logger;
    private readonly RecentUpdates _recent = new(ResumableUpdates);
    private readonly TopicAudience _audience;

    /// <param name="topic">The publishing grain's id as text: gateways restate subscribers to the grain it names.</param>
    /// <param name="saved">Where the gateways with subscribers are kept across activations.</param>
    /// <param name="currentSnapshot">The topic's whole state now, as the unasked snapshot every subscriber may be sent.</param>
    public TopicChannel(string topic, IPersistentState<TopicGatewaysState> saved, Func<ServerFrame?> currentSnapshot, ILogger logger)
    {
        _topic = topic;
        _saved = saved;
        _currentSnapshot = currentSnapshot;
        _logger = logger;
        _audience = new TopicAudience((gatewayId, gateway) => new GatewayOutbox(gatewayId, gateway, topic, currentSnapshot, ForgetGateway, logger));
        StartEpoch();
    }

    public string Topic => _topic;

    public string Epoch { get; private set; } = "";

    /// <summary>The number of the last update published in this epoch (0: none yet).</summary>
    public long Seq { get; private set; }

    public int Subscribers => _audience.Subscribers;

    public int GatewayCount => _audience.GatewayCount;

    /// <summary>Forgets the numbering: what comes next is a new history, which subscribers must get a snapshot of.</summary>
    public void StartEpoch()
    {
        Epoch = Guid.NewGuid().ToString("N")[..12];
        Seq = 0;
        _recent.Clear();
    }

    /// <summary>Numbers an update, keeps it for resuming subscribers and queues it for every gateway.</summary>
    /// <param name="encode">Makes the frame from its epoch and number; its <c>Epoch</c> must be set.</param>
    public void Publish(Func<string, long, ServerFrame> encode)
    {
        Seq++;
        var frame = encode(Epoch, Seq);
        _recent.Add(Seq, frame);
        _audience.Post(frame);
    }

    /// <summary>Queues the current snapshot for every gateway (or one), after what is on its way there.</summary>
    public void PublishSnapshot(string? gatewayId = null)
    {
        if (_currentSnapshot() is { } snapshot)
        {
            _audience.Post(snapshot, gatewayId);
        }
    }

    /// <summary>The updates a subscriber that holds <paramref name="seq"/> of <paramref name="epoch"/> missed, or false when it needs a snapshot.</summary>
    public bool TryCatchUp(string epoch, long seq, out ImmutableArray<ServerFrame> missed)
    {
        missed = [];
        return epoch == Epoch && _recent.TryGetAfter(seq, Seq, out missed);
    }

    /// <summary>
    /// Subscribes a connection, its <paramref name="frames"/> (snapshot or catch-up) first and behind every update
    /// already on its way to its gateway, so it gets none its snapshot holds. False when its gateway did not take it.
    /// <paramref name="maxRate"/> (updates per second, see <see cref="SubscriptionRate"/>) is kept by the gateway,
    /// which paces this connection's updates; the topic still publishes each update once per gateway.
    /// </summary>
    public async Task<OpenOutcome> Subscribe(ConnectionInfo subscriber, ImmutableArray<ServerFrame> frames, double? maxRate = null)
    {
        var outbox = _audience.Add(subscriber);
        await SaveGateways();
        if (await Reach(subscriber.GatewayId, () => outbox.Attach(subscriber.InstanceId, frames, maxRate), 2 * GatewayOutbox.CallTimeout))
        {
            return OpenOutcome.Opened;
        }
        _audience.Remove(subscriber.GatewayId, subscriber.InstanceId);
        await SaveGateways();
        return OpenOutcome.Unreachable;
    }

    /// <summary>
    /// Sends one frame to one connection without subscribing it (a chart opened to be looked at once), the way its
    /// subscribers' frames go: from this grain to the connection's gateway.
    /// </summary>
    public async Task<OpenOutcome> SendOnce(ConnectionInfo connection, ServerFrame frame) =>
        await Reach(connection.GatewayId, () => connection.Gateway.Send([connection.InstanceId], frame), GatewayOutbox.CallTimeout)
            ? OpenOutcome.Opened
            : OpenOutcome.Unreachable;

    /// <summary>Makes a call to a gateway; false (and a warning) when it failed or did not answer within <paramref name="timeout"/>.</summary>
    private async Task<bool> Reach(string gatewayId, Func<Task> call, TimeSpan timeout)
    {
        try
        {
            await call().WaitAsync(timeout);
            return true;
        }
        catch (Exception e)
        {
            _logger.LogWarning("Topic {Topic} could not reach gateway {GatewayId}: {Error}", _topic, gatewayId, e.Message);
            return false;
        }
    }

    public async Task Unsubscribe(string gatewayId, string instanceId)
    {
        var gateway = _audience.Gateway(gatewayId);
        _audience.Remove(gatewayId, instanceId);
        await SaveGateways();
        if (gateway is null)
        {
            return;
        }
        try
        {
            await gateway.Unsubscribe(instanceId, _topic).WaitAsync(GatewayOutbox.CallTimeout);
        }
        catch (Exception e)
        {
            // The gateway restates what it holds; a subscriber this topic no longer counts costs nothing but frames.
            _logger.LogDebug("Unsubscribe from gateway {GatewayId} failed: {Error}", gatewayId, e.Message);
        }
    }

    /// <summary>A gateway's statement of its subscribers; those this activation never served get a fresh snapshot.</summary>
    public async Task Refresh(string gatewayId, IGatewayObserver gateway, ImmutableArray<string> instanceIds)
    {
        var unknown = _audience.Reset(gatewayId, gateway, instanceIds);
        await SaveGateways();
        if (!unknown.IsEmpty)
        {
            _logger.LogInformation("Topic {Topic} re-learned {Count} subscribers on gateway {GatewayId}", _topic, unknown.Length, gatewayId);
            PublishSnapshot(gatewayId);
        }
    }

    /// <summary>
    /// On activation: the gateways an earlier activation served still hold subscribers, on an older epoch; each gets
    /// a fresh snapshot now, and its next refresh says who they are.
    /// </summary>
    public void RestoreSubscribers()
    {
        if (_saved.State.Gateways.Count == 0)
        {
            return;
        }
        foreach (var (gatewayId, gateway) in _saved.State.Gateways)
        {
            _audience.Restore(gatewayId, gateway);
        }
        _logger.LogInformation("Topic {Topic} re-activated with subscribers on {Count} gateways; sending them a fresh snapshot", _topic, _audience.GatewayCount);
        PublishSnapshot();
    }

    /// <summary>A gateway unreachable for long is forgotten; if it comes back, its next refresh restates its subscribers.</summary>
    private void ForgetGateway(string gatewayId)
    {
        _audience.RemoveGateway(gatewayId);
        _ = SaveGateways();
    }

    /// <summary>Persists the set of gateways when it changed; a failed write is retried by the next change or refresh.</summary>
    private async Task SaveGateways()
    {
        var gateways = _audience.Gateways();
        if (gateways.Count == _saved.State.Gateways.Count && gateways.Keys.All(_saved.State.Gateways.ContainsKey))
        {
            return;
        }
        _saved.State.Gateways = gateways;
        try
        {
            if (gateways.Count == 0)
            {
                await _saved.ClearStateAsync();
            }
            else
            {
                await _saved.WriteStateAsync();
            }
        }
        catch (Exception e)
        {
            _saved.State.Gateways = [];
            _logger.LogWarning("Topic {Topic} could not save its gateways: {Error}", _topic, e.Message);
        }
    }
}
