using Microsoft.Extensions.Options;
using System.Collections.Immutable;
using Realtime.Connections;
using Realtime.Topics;
using Realtime.Users;

namespace Realtime.Gateway.Connections;

/// <summary>
/// Re-registers this gateway and every connection it holds on a timer, so a grain re-activated on another silo, or
/// a restarted directory, finds them again. Topic grains (charts) keep their subscribers in memory only and are told
/// every round; user grains persist their connections and are told less often (one call per connected user), a
/// slice of the users each round, so that each is told once per <see cref="GatewayOptions.UserRefreshSeconds"/>.
/// </summary>
/// <remarks>
/// When the gateway's connections to the silos change (a silo died, or this gateway lost the cluster and came back),
/// grains may have moved or given up on this gateway meanwhile, so it restates everything at once and a few more
/// times while the cluster settles, instead of waiting for the timer. Outside those rounds the users are told in
/// slices: a gateway with 16,000 users telling all of them at once put 16,000 grain calls ahead of every quote in
/// the silo's queues once a minute, and chart updates waited seconds behind them (Bench/scale.sh, 100,000
/// connections over six gateways).
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
        var slices = UserSlices(options.Value);
        for (var round = 0L; !stoppingToken.IsCancellationRequested; round++)
        {
            var settling = Interlocked.Decrement(ref _settlingRounds) >= 0;
            try
            {
                // The first round and the settling rounds tell every user; the others tell one slice each.
                await RefreshOnce(stoppingToken, settling || round == 0 ? null : new UserSlice((int)(round % slices), slices));
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

    /// <summary>Registers the gateway and restates its topics and the users of <paramref name="users"/> (null: all users).</summary>
    internal async Task RefreshOnce(CancellationToken cancellationToken, UserSlice? users = null)
    {
        // All three at once: a directory still failing over (its silo just died) must not hold up the users and topics.
        var register = Directory.Register(identity.Id, identity.Reference);
        var restate = Restate(users, cancellationToken);
        await Task.WhenAll(register, restate);
    }

    /// <summary>Rounds per user refresh: every user is told once in that many rounds.</summary>
    internal static int UserSlices(GatewayOptions options) => Math.Max(1, options.UserRefreshSeconds / options.RefreshSeconds);

    private async Task Restate(UserSlice? users, CancellationToken cancellationToken)
    {
        var told = users is { } slice ? connections.ByUser(slice.Contains) : connections.ByUser();
        await ForEach(told, user => grains.GetGrain<IUserGrain>(user.Key).Refresh(identity.Id, identity.Reference, user.Value), cancellationToken);
        await ForEach(topics.ByTopic(), topic => Publisher(topic.Key).Refresh(identity.Id, identity.Reference, topic.Value), cancellationToken);
    }

    private Task ForEach(IReadOnlyDictionary<string, ImmutableArray<string>> targets, Func<KeyValuePair<string, ImmutableArray<string>>, Task> refresh, CancellationToken cancellationToken) =>
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

/// <summary>Slice <paramref name="Index"/> of <paramref name="Count"/>: the users a round of refreshes tells.</summary>
internal readonly record struct UserSlice(int Index, int Count)
{
    // Within one gateway process a user always falls in the same slice, so each is told once every Count rounds.
    public bool Contains(string userId) => (StringComparer.Ordinal.GetHashCode(userId) & int.MaxValue) % Count == Index;
}
