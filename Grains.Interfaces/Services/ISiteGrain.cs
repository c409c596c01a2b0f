using Orleans.Runtime;
namespace Realtime.Services;

/// <summary>
/// Carries out <c>site</c> instructions for callers outside the silos (the gateway's HTTP API), by the code the
/// <c>site</c> service handler runs. A stateless worker: any silo, as many activations as the load needs.
/// </summary>
[Alias("realtime.ISiteGrain"), GrainInterfaceType("Realtime.Services.ISiteGrain")]
public interface ISiteGrain : IGrainWithIntegerKey
{
    const long AnyKey = 0;

    /// <summary>
    /// Completes once every addressed user grain (or every gateway, for a broadcast) took the instruction; throws
    /// when some could not be reached for a reason that may pass, so the caller tries again.
    /// </summary>
    Task Execute(SiteCommand command);
}
