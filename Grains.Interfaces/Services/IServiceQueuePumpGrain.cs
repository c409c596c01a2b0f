using Orleans.Runtime;
namespace Realtime.Services;

/// <summary>
/// Drains one Redis service queue (key: the queue name) and hands each message to the service dispatcher.
/// Exactly one activation per queue in the cluster; silos poke it on a timer so it comes back after a crash.
/// </summary>
[Alias("realtime.IServiceQueuePumpGrain"), GrainInterfaceType("Realtime.Services.IServiceQueuePumpGrain")]
public interface IServiceQueuePumpGrain : IGrainWithStringKey
{
    /// <summary>Activates the pump if it is not running. Cheap; called on a timer by every silo.</summary>
    Task EnsureRunning();

    Task<PumpStatus> GetStatus();
}
