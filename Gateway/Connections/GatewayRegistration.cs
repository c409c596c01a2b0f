using Microsoft.Extensions.Options;
using System.Collections.Immutable;
using Realtime.Connections;
using Realtime.Topics;
using Realtime.Users;

namespace Realtime.Gateway.Connections;

/// <summary>
/// Re-registers this gateway and every connection it holds on a timer, so a grain re-activated on another silo, or
/// a restarted directory, finds them again. Topic grains (charts) keep their subscribers in memory only and are told
/// every round; user grains persist their connections and are told less often (one call per connected user).
/// </summary>
/// <remarks>
/// When the gateway's connections to the silos change (a silo died, or this gateway lost the cluster and came back),
/// grains may have moved or given up on this gateway meanwhile, so it restates everything at once and a few more
/// times while the cluster settles, instead of waiting for the timer.
/// </remarks>
internal sealed class GatewayRegistration(
    IGrainFactory grains,
    GatewayIdentity identity,
    ConnectionRegistry connections,
    TopicSubscriptions topics,
    IOptions<GatewayOptions> options,
    ILogger<GatewayRegistration> logger) : BackgroundService
{
    internal const int RefreshesAfterClusterChange = 3;
    private static readonly TimeSpan SettlingInterval = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _clusterChanged = new(0);
    private int _settlingRounds;

    /// <summary>Restate everything now, and again while the cluster settles (see the remarks).</summary>
    public void OnClusterChanged()
    {
        Interlocked.Exchange(ref _settlingRounds, RefreshesAfterClusterChange);
        _clusterChanged.Release();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.RefreshSeconds);
        var userRefresh = TimeSpan.FromSeconds(options.Value.UserRefreshSeconds);
        var usersRefreshed = DateTime.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            var settling = Interlocked.Decrement(ref _settlingRounds) >= 0;
            try
            {
                var includeUsers = settling || DateTime.UtcNow - usersRefreshed >= userRefresh;
                await RefreshOnce(stoppingToken, includeUsers);
                if (includeUsers)
                {
                    usersRefreshed = DateTime.UtcNow;
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Gateway refresh failed: {Error}", e.Message);
            }
            try
            {
                await _clusterChanged.WaitAsync(Volatile.Read(ref _settlingRounds) > 0 ? SettlingInterval : interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await Directory.Unregister(identity.Id).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
        }
        catch (Exception e)
        {
            logger.LogDebug("Could not unregister gateway {GatewayId}: {Error}", identity.Id, e.Message);
        }
    }

    internal async Task RefreshOnce(CancellationToken cancellationToken, bool includeUsers = true)
    {
        // All three at once: a directory still failing over (its silo just died) must not hold up the users and topics.
        var register = Directory.Register(identity.Id, identity.Reference);
        var restate = Restate(includeUsers, cancellationToken);
        await Task.WhenAll(register, restate);
    }

    private async Task Restate(bool includeUsers, CancellationToken cancellationToken)
    {
        if (includeUsers)
        {
            await ForEach(connections.ByUser(), user => grains.GetGrain<IUserGrain>(user.Key).Refresh(identity.Id, identity.Reference, user.Value), cancellationToken);
        }
        await ForEach(topics.ByTopic(), topic => Publisher(topic.Key).Refresh(identity.Id, identity.Reference, topic.Value), cancellationToken);
    }

    private Task ForEach(Dictionary<string, ImmutableArray<string>> targets, Func<KeyValuePair<string, ImmutableArray<string>>, Task> refresh, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(targets, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (target, _) =>
        {
            try
            {
                await refresh(target);
            }
            catch (Exception e)
            {
                // One unreachable grain must not stop the refresh of the others; the next round tries again.
                logger.LogDebug("Refresh of {Key} failed: {Error}", target.Key, e.Message);
            }
        });

    /// <summary>A topic is named by the grain that publishes it.</summary>
    private ITopicGrain Publisher(string topic) => grains.GetGrain(GrainId.Parse(topic)).AsReference<ITopicGrain>();

    private IGatewayDirectoryGrain Directory => grains.GetGrain<IGatewayDirectoryGrain>(IGatewayDirectoryGrain.SingletonKey);
}
