using System.Globalization;
using System.Text;
using Realtime.Bench.Scenarios;

namespace Realtime.Bench.Runner;

/// <summary>
/// The published table: every figure of both servers side by side, the ratio ours / peer, and for the issue's
/// targets whether ours met them (a target that names the peer needs the peer's run too).
/// </summary>
internal static class ComparisonTable
{
    public const double LatencyP99TargetMs = 10;
    public const double FanOutTargetFramesPerSecond = 200_000;
    public const double IdleTargetKiB = 20;
    public const double PumpTargetPerSecond = 100_000;

    public static IReadOnlyList<ComparisonRow> Rows(SuiteSettings settings, ServerResults? ours, ServerResults? peer)
    {
        var rows = new List<ComparisonRow>();
        if (ours?.Latency is not null || peer?.Latency is not null)
        {
            rows.AddRange(Stream($"latency: {settings.Latency.Describe()}", ours?.Latency, peer?.Latency, latencyTarget: true));
        }
        if (ours?.FanOut is not null || peer?.FanOut is not null)
        {
            rows.AddRange(Stream($"fan-out: {settings.FanOut.Describe()}", ours?.FanOut, peer?.FanOut, latencyTarget: false));
        }
        if (ours?.Idle is not null || peer?.Idle is not null)
        {
            var scenario = $"idle: {settings.IdleConnections:N0} connections on one gateway";
            var kib = ours?.Idle?.KiBPerConnection;
            rows.Add(new(scenario, "server memory per connection, KiB (RSS delta / connections)", $"< {IdleTargetKiB} KiB", kib, peer?.Idle?.KiBPerConnection, "F1",
                kib is not { } k ? "" : k < IdleTargetKiB ? "met" : $"MISSED: {k:F1} KiB"));
            rows.Add(new(scenario, "plus other server processes (our silo: a user grain each), KiB per connection", "", ours?.Idle?.OtherKiBPerConnection, peer?.Idle?.OtherKiBPerConnection, "F1"));
            rows.Add(new(scenario, "all server processes, KiB per connection", "", ours?.Idle?.TotalKiBPerConnection, peer?.Idle?.TotalKiBPerConnection, "F1"));
            rows.Add(new(scenario, "connects per second", "", ours?.Idle?.ConnectsPerSecond, peer?.Idle?.ConnectsPerSecond, "N0"));
        }
        if (ours?.Pump is not null || peer?.Pump is not null)
        {
            var rate = ours?.Pump?.MessagesPerSecond;
            rows.Add(new($"pump: {settings.PumpMessages:N0} quotes on the queue at once, after {settings.PumpWarmup:N0} to warm up", "service messages drained per second", $">= {PumpTargetPerSecond:N0}", rate, peer?.Pump?.MessagesPerSecond, "N0",
                rate is not { } r ? "" : r >= PumpTargetPerSecond ? "met" : $"MISSED: {r:N0}/s"));
        }
        return rows;
    }

    private static IEnumerable<ComparisonRow> Stream(string scenario, StreamResult? ours, StreamResult? peer, bool latencyTarget)
    {
        yield return new(scenario, "latency p50, ms", "", ours?.P50, peer?.P50, "F2");
        yield return new(scenario, "latency p99, ms", latencyTarget ? $"< {LatencyP99TargetMs} ms and <= peer" : "", ours?.P99, peer?.P99, "F2",
            latencyTarget ? Verdict(ours?.P99, peer?.P99, o => o < LatencyP99TargetMs, o => o <= peer!.P99, $"{ours?.P99:F2} ms is not under {LatencyP99TargetMs} ms", $"above the peer's {peer?.P99:F2} ms") : "");
        yield return new(scenario, "latency p99.9, ms", "", ours?.P999, peer?.P999, "F2");
        yield return new(scenario, "latency mean, ms", "", ours?.Mean, peer?.Mean, "F2");
        if (ours?.Stages is { } stages)
        {
            yield return new(scenario, "of the mean: LPUSH to the pump's handler, ms", "", stages.ToPump, null, "F2");
            yield return new(scenario, "of the mean: then to the chart update leaving the chart grain, ms", "", stages.ToChartUpdate - stages.ToPump, null, "F2");
            yield return new(scenario, "of the mean: then through the gateway to the client, ms", "", ours.Mean - stages.ToChartUpdate, null, "F2");
        }
        yield return new(scenario, "frames delivered per second", latencyTarget ? "" : $">= {FanOutTargetFramesPerSecond:N0} and >= peer", ours?.FramesPerSecond, peer?.FramesPerSecond, "N0",
            latencyTarget ? "" : Verdict(ours?.FramesPerSecond, peer?.FramesPerSecond, o => o >= FanOutTargetFramesPerSecond, o => o >= peer!.FramesPerSecond,
                $"{ours?.FramesPerSecond:N0}/s is under {FanOutTargetFramesPerSecond:N0}/s", $"under the peer's {peer?.FramesPerSecond:N0}/s"));
        yield return new(scenario, "frames conflated, dropped or over 2 s late, % of expected", "", ours?.MissingPercent, peer?.MissingPercent, "F1");
        yield return new(scenario, "bytes per frame", "", ours?.BytesPerFrame, peer?.BytesPerFrame, "N0");
        yield return new(scenario, "server CPU, % of one core (of 200)", "", ours?.ServerCpuPercent, peer?.ServerCpuPercent, "F0");
        yield return new(scenario, "Redis CPU, % of one core", "", ours?.RedisCpuPercent, peer?.RedisCpuPercent, "F0");
        yield return new(scenario, "load generator CPU, % of one core", "", ours?.GeneratorCpuPercent, peer?.GeneratorCpuPercent, "F0");
        yield return new(scenario, "server memory (RSS), MiB", "", ours?.ServerRssMiB, peer?.ServerRssMiB, "F0");
    }

    private static string Verdict(double? ours, double? peer, Func<double, bool> absolute, Func<double, bool> relative, string absoluteMiss, string relativeMiss)
    {
        if (ours is not { } o)
        {
            return "";
        }
        var misses = new List<string>();
        if (!absolute(o))
        {
            misses.Add(absoluteMiss);
        }
        if (peer is null)
        {
            misses.Add("peer not run");
        }
        else if (!relative(o))
        {
            misses.Add(relativeMiss);
        }
        return misses.Count == 0 ? "met" : "MISSED: " + string.Join("; ", misses);
    }

    public static string Markdown(IReadOnlyList<ComparisonRow> rows, string oursName, string peerName)
    {
        var text = new StringBuilder();
        text.AppendLine($"| scenario | metric | target | {oursName} | {peerName} | ours / peer | verdict |");
        text.AppendLine("| --- | --- | --- | ---: | ---: | ---: | --- |");
        string? last = null;
        foreach (var row in rows)
        {
            var scenario = row.Scenario == last ? "" : row.Scenario;
            last = row.Scenario;
            text.AppendLine($"| {scenario} | {row.Metric} | {row.Target} | {Format(row.Ours, row.Format)} | {Format(row.Peer, row.Format)} | {Format(row.Ratio, "F2")} | {row.Verdict} |");
        }
        return text.ToString();
    }

    private static string Format(double? value, string format) =>
        value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "-";
}
