namespace Realtime.Bench.Scenarios;

/// <summary>What one streaming run measured. Latencies in milliseconds, CPU in percent of one core.</summary>
public sealed record StreamResult(
    StreamSettings Settings,
    string Server,
    int Connected,
    TimeSpan FirstClientTime,
    TimeSpan ConnectTime,
    long QuotesInWindow,
    long ExpectedFrames,
    long DeliveredFrames,
    double FramesPerSecond,
    double P50,
    double P99,
    double P999,
    double Max,
    double Mean,
    double BytesPerUpdate,
    double ServerCpuPercent,
    double ServerRssMiB,
    double RedisCpuPercent,
    double GeneratorCpuPercent,
    long Failures,
    string? FirstFailure,
    string CpuBreakdown,
    (double ToPump, double ToChartUpdate)? Stages)
{
    /// <summary>TCP bytes read per update in the window, framing and compression included (NaN when not measured).</summary>
    public double WireBytesPerUpdate { get; init; } = double.NaN;

    /// <summary>Clients the server closed or lost during the run (they count toward missing frames).</summary>
    public int LostClients { get; init; }

    /// <summary>Frames expected for the window's quotes that never arrived: conflated by the server, or dropped.</summary>
    public long MissingFrames => Math.Max(0, ExpectedFrames - DeliveredFrames);

    public double MissingPercent => ExpectedFrames == 0 ? double.NaN : 100.0 * MissingFrames / ExpectedFrames;

    /// <summary>The mean split into stages (ours only): LPUSH to the pump, to the chart grain, to the client.</summary>
    public string? StageBreakdown => Stages is { } s
        ? $"mean {Mean:F2} ms = queue and pump {s.ToPump:F2} + quote centre, stream and chart grain {s.ToChartUpdate - s.ToPump:F2} + gateway and socket {Mean - s.ToChartUpdate:F2}"
        : null;

    /// <summary>One line for logs and the smoke test: the figures that say whether the run worked.</summary>
    public string Row() =>
        $"{Settings.Name} | {Server} | {Connected} clients | {FramesPerSecond:N0} frames/s | p50 {P50:F2} ms | p99 {P99:F2} ms | " +
        $"p99.9 {P999:F2} ms | missing {MissingPercent:F1}% | {BytesPerUpdate:F0} bytes per update{(double.IsNaN(WireBytesPerUpdate) ? "" : $" ({WireBytesPerUpdate:F0} on the wire)")} | server CPU {ServerCpuPercent:F0}% | failures {Failures}{(LostClients > 0 ? $" ({LostClients} clients lost)" : "")} | first client ready in {FirstClientTime.TotalSeconds:F1} s, all in {ConnectTime.TotalSeconds:F1} s";
}
