using Microsoft.Extensions.Options;
using System.Collections.Immutable;
using Realtime.Connections;
using Realtime.Quotes;
using Realtime.Users;

namespace Realtime.Gateway.Connections;

/// <summary>
/// Re-registers this gateway and every connection it holds on a timer, so a grain re-activated on another silo, or
/// a restarted directory, finds them again. Chart grains keep their viewers in memory only and are told every
/// round; user grains persist their connections and are told less often (one call per connected user).
/// </summary>
internal sealed class GatewayRegistration(
    IGrainFactory grains,
    GatewayIdentity identity,
    ConnectionRegistry connections,
    ChartSubscriptions charts,
    IOptions<GatewayOptions> options,
    ILogger<GatewayRegistration> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.RefreshSeconds));
        var userRefresh = TimeSpan.FromSeconds(options.Value.UserRefreshSeconds);
        var usersRefreshed = DateTime.MinValue;
        do
        {
            try
            {
                var includeUsers = DateTime.UtcNow - usersRefreshed >= userRefresh;
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
        }
        while (await Tick(timer, stoppingToken));
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
        await Directory.Register(identity.Id, identity.Reference);
        if (includeUsers)
        {
            await ForEach(connections.ByUser(), user => grains.GetGrain<IUserGrain>(user.Key).Refresh(identity.Id, identity.Reference, user.Value), cancellationToken);
        }
        await ForEach(charts.ByChart(), chart => grains.GetGrain<IChartGrain>(chart.Key).Refresh(identity.Id, identity.Reference, chart.Value), cancellationToken);
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

    private IGatewayDirectoryGrain Directory => grains.GetGrain<IGatewayDirectoryGrain>(IGatewayDirectoryGrain.SingletonKey);

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
