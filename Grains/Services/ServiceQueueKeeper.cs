using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Realtime.Services;

/// <summary>
/// Runs on every silo and pokes each configured queue's pump every few seconds. Orleans keeps one activation per
/// queue, so this only ever starts a pump where none runs: after start-up, or after the silo holding it died.
/// </summary>
internal sealed class ServiceQueueKeeper(IGrainFactory grains, IOptions<ServiceQueueOptions> options, ILogger<ServiceQueueKeeper> logger)
    : BackgroundService
{
    internal static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            foreach (var queue in options.Value.Queues)
            {
                try
                {
                    await grains.GetGrain<IServiceQueuePumpGrain>(queue).EnsureRunning();
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // Normal while the silo is still joining the cluster or a peer just died; the next tick retries.
                    logger.LogDebug("Could not reach the pump of {Queue}: {Error}", queue, e.Message);
                }
            }
        }
        while (await WaitForNextTick(timer, stoppingToken));
    }

    private static async Task<bool> WaitForNextTick(PeriodicTimer timer, CancellationToken stoppingToken)
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
