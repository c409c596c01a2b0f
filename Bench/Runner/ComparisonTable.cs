using System.Globalization;
using System.Text;
using Realtime.Bench.Scenarios;

namespace Realtime.Bench.Runner;

/// <summary>One line of the table: a metric of a scenario for every server run, in the table's column order.</summary>
internal sealed record ComparisonRow(string Scenario, string Metric, IReadOnlyList<double?> Values, string Format)
{
    /// <summary>Ours (column 0) divided by column <paramref name="peer"/>: below 1 is better for times and costs, above 1 for throughput.</summary>
    public double? Ratio(int peer) =>
        Values[0] is { } ours && Values[peer] is { } other && other != 0 && double.IsFinite(ours) && double.IsFinite(other) ? ours / other : null;
}

/// <summary>
/// The published table: every figure of every server side by side, the ratio ours / each peer, then the verdict on
/// each of the issue's targets (<see cref="Verdicts"/>) and the scenarios that did not finish, with why.
/// </summary>
internal static class ComparisonTable
{
    public static IReadOnlyList<ComparisonRow> Rows(SuiteSettings settings, IReadOnlyList<ServerResults> servers)
    {
        var rows = new List<ComparisonRow>();
        void Add(string scenario, string metric, Func<ServerResults, double?> value, string format) =>
            rows.Add(new(scenario, metric, [.. servers.Select(value)], format));

        if (servers.Any(s => s.Latency is not null))
        {
            Stream(Add, $"latency: {settings.Latency.Describe()}", s => s.Latency);
        }
        if (servers.FirstOrDefault(s => s.Wire.Count > 0) is { } wired)
        {
            // Ours only: each form of the protocol on one deployment (docs/protocol.md 1.13).
            var scenario = $"wire: {settings.Wire.Describe()}, ours in each form";
            for (var i = 0; i < wired.Wire.Count; i++)
            {
                var form = i;
                var name = wired.Wire[i].Server;
                Add(scenario, $"{name}: bytes per update, WebSocket payload", s => s.Wire.ElementAtOrDefault(form)?.BytesPerUpdate, "N0");
                Add(scenario, $"{name}: bytes per update on the wire (TCP, framing and compression included)", s => s.Wire.ElementAtOrDefault(form)?.WireBytesPerUpdate, "N0");
                Add(scenario, $"{name}: server CPU, % of one core", s => s.Wire.ElementAtOrDefault(form)?.ServerCpuPercent, "F0");
                Add(scenario, $"{name}: latency p99, ms", s => s.Wire.ElementAtOrDefault(form)?.P99, "F2");
            }
        }
        if (servers.Any(s => s.FanOut is not null))
        {
            Stream(Add, $"fan-out: {settings.FanOut.Describe()}", s => s.FanOut);
        }
        if (servers.Any(s => s.Capacity is not null))
        {
            var capacity = settings.Capacity;
            var scenario = $"capacity: {capacity.Clients:N0} clients, {capacity.Symbols} symbols, offered rate stepped";
            Add(scenario, $"highest offered frames/s sustained (<= {capacity.MaxMissingPercent} % missing, p99 < {capacity.MaxP99Milliseconds:N0} ms)",
                s => s.Capacity is { } c ? c.SustainedFramesPerSecond ?? 0 : null, "N0");
            Add(scenario, "lowest offered frames/s not sustained", s => s.Capacity?.FirstNotSustained, "N0");
            Add(scenario, "at capacity: frames delivered per second", s => s.Capacity?.AtCapacity?.Result.FramesPerSecond, "N0");
            Add(scenario, "at capacity: latency p99, ms", s => s.Capacity?.AtCapacity?.Result.P99, "F0");
            Add(scenario, "at capacity: frames missing, % of expected", s => s.Capacity?.AtCapacity?.Result.MissingPercent, "F1");
            Add(scenario, "at capacity: server CPU, % of one core", s => s.Capacity?.AtCapacity?.Result.ServerCpuPercent, "F0");
            Add(scenario, "at capacity: load generator CPU, % of one core", s => s.Capacity?.AtCapacity?.Result.GeneratorCpuPercent, "F0");
        }
        if (servers.Any(s => s.Idle is not null))
        {
            var scenario = $"idle: {settings.IdleConnections:N0} connections";
            Add(scenario, "all server processes, KiB per connection (RSS delta / connections)", s => s.Idle?.TotalKiBPerConnection, "F1");
            Add(scenario, "of which the processes holding the connections (ours: the gateway; Socket.IO: its workers)", s => s.Idle?.KiBPerConnection, "F1");
            Add(scenario, "of which the other server processes (ours: the silo, a user grain each)", s => s.Idle?.OtherKiBPerConnection, "F1");
            Add(scenario, "connects per second", s => s.Idle?.ConnectsPerSecond, "N0");
        }
        if (servers.Any(s => s.Pump is not null))
        {
            Add($"pump: {settings.PumpMessages:N0} quotes on the queue at once, after {settings.PumpWarmup:N0} to warm up", "service messages drained per second",
                s => s.Pump?.MessagesPerSecond, "N0");
        }
        return rows;
    }

    private static void Stream(Action<string, string, Func<ServerResults, double?>, string> add, string scenario, Func<ServerResults, StreamResult?> of)
    {
        add(scenario, "latency p50, ms", s => of(s)?.P50, "F2");
        add(scenario, "latency p99, ms", s => of(s)?.P99, "F2");
        add(scenario, "latency p99.9, ms", s => of(s)?.P999, "F2");
        add(scenario, "latency mean, ms", s => of(s)?.Mean, "F2");
        add(scenario, "of the mean: LPUSH to the pump's handler, ms", s => of(s)?.Stages?.ToPump, "F2");
        add(scenario, "of the mean: then to the chart update leaving the chart grain, ms", s => of(s)?.Stages is { } st ? st.ToChartUpdate - st.ToPump : null, "F2");
        add(scenario, "of the mean: then through the gateway to the client, ms", s => of(s) is { Stages: { } st } r ? r.Mean - st.ToChartUpdate : null, "F2");
        add(scenario, "frames delivered per second", s => of(s)?.FramesPerSecond, "N0");
        add(scenario, "frames conflated, dropped or over 2 s late, % of expected", s => of(s)?.MissingPercent, "F1");
        add(scenario, "bytes per update (ours: a chart update; peers: a quote), WebSocket payload", s => of(s)?.BytesPerUpdate, "N0");
        add(scenario, "server CPU, % of one core (of 200)", s => of(s)?.ServerCpuPercent, "F0");
        add(scenario, "Redis CPU, % of one core", s => of(s)?.RedisCpuPercent, "F0");
        add(scenario, "load generator CPU, % of one core", s => of(s)?.GeneratorCpuPercent, "F0");
        add(scenario, "server memory (RSS), MiB", s => of(s)?.ServerRssMiB, "F0");
    }

    /// <summary>The whole report: the figures, the verdicts, the capacity steps and the scenarios that did not finish.</summary>
    public static string Markdown(SuiteSettings settings, IReadOnlyList<ServerResults> servers)
    {
        var text = new StringBuilder();
        text.Append(Figures(Rows(settings, servers), servers));
        var verdicts = Verdicts.Judge(servers);
        if (verdicts.Count > 0)
        {
            text.AppendLine().Append(VerdictTable(verdicts, servers));
        }
        var capacities = servers.Where(s => s.Capacity is not null).ToArray();
        if (capacities.Length > 0)
        {
            text.AppendLine().AppendLine("Capacity steps (offered frames/s, in the order run):");
            foreach (var server in capacities)
            {
                text.AppendLine($"- {server.Server}: {string.Join("; ", server.Capacity!.Steps.Select(s => s.Describe()))}; {server.Capacity.Ended}");
            }
        }
        var failures = servers.SelectMany(s => s.Failures.Select(f => $"- {s.Server}, {f.Key}: {f.Value}")).ToArray();
        if (failures.Length > 0)
        {
            text.AppendLine().AppendLine("Scenarios that did not finish:");
            foreach (var failure in failures)
            {
                text.AppendLine(failure);
            }
        }
        var retried = servers.SelectMany(s => s.Retried.Select(f => $"- {s.Server}, {f.Key}: {f.Value}")).ToArray();
        if (retried.Length > 0)
        {
            text.AppendLine().AppendLine("Scenarios that finished only when tried again on fresh servers (the first attempt's reason):");
            foreach (var retry in retried)
            {
                text.AppendLine(retry);
            }
        }
        return text.ToString();
    }

    public static string Figures(IReadOnlyList<ComparisonRow> rows, IReadOnlyList<ServerResults> servers)
    {
        var ratios = Verdicts.HasOurs(servers) ? servers.Skip(1).Select(s => $"ours / {s.Server}").ToArray() : [];
        var text = new StringBuilder();
        text.AppendLine($"| scenario | metric | {string.Join(" | ", servers.Select(s => s.Server))} |{string.Concat(ratios.Select(r => $" {r} |"))}");
        text.AppendLine($"| --- | --- |{string.Concat(servers.Select(_ => " ---: |"))}{string.Concat(ratios.Select(_ => " ---: |"))}");
        string? last = null;
        foreach (var row in rows.Where(r => r.Values.Any(v => v is not null)))
        {
            var scenario = row.Scenario == last ? "" : row.Scenario;
            last = row.Scenario;
            text.Append($"| {scenario} | {row.Metric} |");
            foreach (var value in row.Values)
            {
                text.Append($" {Format(value, row.Format)} |");
            }
            for (var peer = 1; peer <= ratios.Length; peer++)
            {
                text.Append($" {Format(row.Ratio(peer), "F2")} |");
            }
            text.AppendLine();
        }
        return text.ToString();
    }

    public static string VerdictTable(IReadOnlyList<TargetVerdict> verdicts, IReadOnlyList<ServerResults> servers)
    {
        var text = new StringBuilder();
        text.AppendLine($"| target | {string.Join(" | ", servers.Select(s => s.Server))} | verdict |");
        text.AppendLine($"| --- |{string.Concat(servers.Select(_ => " ---: |"))} --- |");
        foreach (var verdict in verdicts)
        {
            text.AppendLine($"| {verdict.Target} | {string.Join(" | ", verdict.Figures)} | {verdict.Text} |");
        }
        return text.ToString();
    }

    internal static string Format(double? value, string format) =>
        value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "-";
}
