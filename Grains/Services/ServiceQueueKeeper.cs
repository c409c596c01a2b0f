using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Realtime.Services;

/// <summary>
/// Runs on every silo and pokes each configured queue's pump every few seconds. Orleans keeps one activation per
/// queue, so this only ever starts a pump where none runs: after start-up, or after the silo holding it died.
/// </summary>
internal sealed class ServiceQueueKeeper(
    IGrainFactory grains,
    IOptions<ServiceQueueOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<ServiceQueueKeeper> logger) : BackgroundService
{
    internal static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Hosted services stop in reverse order, so the silo stops before this one is told to: without the host's
        // own stopping signal it would go on calling a silo that no longer takes calls (and, with Redis down, wait
        // out each call) for the whole of the silo's shutdown.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        var token = stopping.Token;
        // Hosted services also start in order, this one before the silo: a call before the silo is active finds no
        // silo to place the pump on, and Orleans logs that as a failure.
        if (!await Started(token))
        {
            return;
        }
        using var timer = new PeriodicTimer(Interval);
        do
        {
            foreach (var queue in options.Value.Queues)
            {
                try
                {
                    await grains.GetGrain<IServiceQueuePumpGrain>(queue).EnsureRunning().WaitAsync(token);
                }
                catch (Exception) when (token.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    // Normal while the silo is still joining the cluster or a peer just died; the next tick retries.
                    logger.LogDebug("Could not reach the pump of {Queue}: {Error}", queue, e.Message);
                }
            }
        }
        while (await WaitForNextTick(timer, token));
    }

    private async Task<bool> Started(CancellationToken token)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        try
        {
            await started.Task.WaitAsync(token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<bool> WaitForNextTick(PeriodicTimer timer, CancellationToken token)
    {
        try
        {
            return await timer.WaitForNextTickAsync(token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
