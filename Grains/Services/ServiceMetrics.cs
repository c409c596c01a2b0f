using System.Diagnostics.Metrics;

namespace Realtime.Services;

/// <summary>The service path's counters, on the <c>Realtime.Services</c> meter.</summary>
public sealed class ServiceMetrics : IDisposable
{
    public const string MeterName = Hosting.Operations.RealtimeMeters.Services;

    private readonly Meter _meter = new(MeterName);

    public ServiceMetrics()
    {
        Dispatched = _meter.CreateCounter<long>("realtime.service.messages.dispatched", description: "Service messages delivered to a handler");
        DeadLettered = _meter.CreateCounter<long>("realtime.service.messages.dead_lettered", description: "Service messages rejected into <queue>:dead");
        Recovered = _meter.CreateCounter<long>("realtime.service.messages.recovered", description: "Messages given back to a queue from a dead consumer's processing list");
        PumpLag = _meter.CreateHistogram<double>("realtime.service.pump.lag", "ms", "How old a quote is (by its own time) when its quote centre applies it");
        _meter.CreateObservableGauge("realtime.service.queue.depth", () => _depths.Select(d => new Measurement<long>(d.Value, new KeyValuePair<string, object?>("queue", d.Key))),
            description: "Messages waiting in each service queue (sampled by the pump)");
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _depths = new();

    public Histogram<double> PumpLag { get; }

    /// <summary>Records a queue's length as the pump last saw it; read by the depth gauge.</summary>
    public void SetDepth(string queue, long depth) => _depths[queue] = depth;

    public Counter<long> Dispatched { get; }

    public Counter<long> DeadLettered { get; }

    public Counter<long> Recovered { get; }

    public void Dispose() => _meter.Dispose();
}
