using System.Diagnostics.Metrics;

namespace Realtime.Services;

/// <summary>The service path's counters, on the <c>Realtime.Services</c> meter.</summary>
public sealed class ServiceMetrics : IDisposable
{
    public const string MeterName = "Realtime.Services";

    private readonly Meter _meter = new(MeterName);

    public ServiceMetrics()
    {
        Dispatched = _meter.CreateCounter<long>("realtime.service.messages.dispatched", description: "Service messages delivered to a handler");
        DeadLettered = _meter.CreateCounter<long>("realtime.service.messages.dead_lettered", description: "Service messages rejected into <queue>:dead");
        Recovered = _meter.CreateCounter<long>("realtime.service.messages.recovered", description: "Messages given back to a queue from a dead consumer's processing list");
    }

    public Counter<long> Dispatched { get; }

    public Counter<long> DeadLettered { get; }

    public Counter<long> Recovered { get; }

    public void Dispose() => _meter.Dispose();
}
