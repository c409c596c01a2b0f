using System.Diagnostics.Metrics;

namespace Realtime.Quotes;

/// <summary>The quote path's instruments, on the <c>Realtime.Quotes</c> meter.</summary>
public sealed class QuoteMetrics : IDisposable
{
    public const string MeterName = Hosting.Operations.RealtimeMeters.Quotes;

    private readonly Meter _meter = new(MeterName);

    public QuoteMetrics()
    {
        Applied = _meter.CreateCounter<long>("realtime.quotes.applied", description: "Quotes applied by quote centres (repeats and stale quotes excluded)");
        ChartUpdates = _meter.CreateCounter<long>("realtime.chart.updates", description: "Chart updates computed, once per distinct chart whatever its viewers");
        ChartReloads = _meter.CreateCounter<long>("realtime.chart.reloads", description: "Charts reloaded from their quote centre after missing a tick (lost in flight, or a new centre incarnation)");
        Unreplicated = _meter.CreateCounter<long>("realtime.quotes.unreplicated", description: "Quote centre saves that Quotes:WaitForReplicas replicas had not acknowledged within Quotes:WaitForReplicasMilliseconds");
        Latency = _meter.CreateHistogram<double>("realtime.quote.latency", "ms", "From a quote's own time to its chart update leaving the chart grain");
    }

    public Counter<long> Applied { get; }

    public Counter<long> ChartUpdates { get; }

    public Counter<long> ChartReloads { get; }

    public Counter<long> Unreplicated { get; }

    public Histogram<double> Latency { get; }

    public void Dispose() => _meter.Dispose();
}
