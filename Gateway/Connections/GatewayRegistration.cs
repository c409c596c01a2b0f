using Microsoft.Extensions.Options;
using Realtime.Connections;
using Realtime.Users;

namespace Realtime.Gateway.Connections;

/// <summary>
/// Re-registers this gateway and every connection it holds on a timer. Observers and user grains keep connections
/// in memory only, so this is how a grain re-activated on another silo, or a restarted directory, finds them again.
/// </summary>
internal sealed class GatewayRegistration(
    IGrainFactory grains,
    GatewayIdentity identity,
    ConnectionRegistry connections,
    IOptions<GatewayOptions> options,
    ILogger<GatewayRegistration> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.RefreshSeconds));
        do
        {
            try
            {
                await RefreshOnce(stoppingToken);
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

    internal async Task RefreshOnce(CancellationToken cancellationToken)
    {
        await Directory.Register(identity.Id, identity.Reference);
        await Parallel.ForEachAsync(connections.ByUser(), new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken },
            async (user, _) =>
            {
                try
                {
                    await grains.GetGrain<IUserGrain>(user.Key).Refresh(identity.Id, identity.Reference, user.Value);
                }
                catch (Exception e)
                {
                    logger.LogDebug("Refresh of user {UserId} failed: {Error}", user.Key, e.Message);
                }
            });
    }

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
