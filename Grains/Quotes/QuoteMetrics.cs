using System.Diagnostics.Metrics;

namespace Realtime.Quotes;

/// <summary>The quote path's instruments, on the <c>Realtime.Quotes</c> meter.</summary>
public sealed class QuoteMetrics : IDisposable
{
    private readonly Meter _meter = new("Realtime.Quotes");

    public QuoteMetrics()
    {
        Applied = _meter.CreateCounter<long>("realtime.quotes.applied", description: "Quotes applied by quote centres (repeats and stale quotes excluded)");
        ChartUpdates = _meter.CreateCounter<long>("realtime.chart.updates", description: "Chart updates computed, once per distinct chart whatever its viewers");
        Latency = _meter.CreateHistogram<double>("realtime.quote.latency", "ms", "From a quote's own time to its chart update leaving the chart grain");
    }

    public Counter<long> Applied { get; }

    public Counter<long> ChartUpdates { get; }

    public Histogram<double> Latency { get; }

    public void Dispose() => _meter.Dispose();
}
