using Realtime.Bench.Scenarios;

namespace Realtime.Bench.Runner;

public enum Outcome
{
    Met,
    Missed,
    NotJudged,
}

/// <summary>
/// A target of issue 17 and how ours did: <see cref="Figures"/> holds the figure it is judged on for every server
/// in the table's column order, <see cref="Detail"/> says against what.
/// </summary>
internal sealed record TargetVerdict(string Target, IReadOnlyList<string> Figures, Outcome Outcome, string Detail)
{
    public string Text => Outcome switch
    {
        Outcome.Met => "met" + (Detail.Length > 0 ? ": " + Detail : ""),
        Outcome.Missed => "MISSED: " + Detail,
        _ => "not judged: " + Detail,
    };
}

/// <summary>
/// The targets of issue 24 ("The live path close to its limit"), each judged against every peer measured in the same
/// run: ours must meet a relative target against each of them. A target whose figure is missing for ours is not
/// judged; one whose figure is missing for a peer is not judged against that peer (and said so), unless ours already
/// missed it against another.
/// </summary>
internal static class Verdicts
{
    public const double LatencyP50Factor = 2;
    public const double MaxMissingPercent = 1;
    public const double CapacityFactor = 1.3;
    public const double MaxBytesPerUpdate = 100;
    public const double MaxIdleKiB = 12;
    public const double MaxHopMilliseconds = 0.7;

    public static bool HasOurs(IReadOnlyList<ServerResults> servers) => servers.Count > 0 && servers[0].Server == OursDeployment.ServerName;

    /// <summary>Every target's verdict; empty when ours was not run (column 0 is ours when it was).</summary>
    public static IReadOnlyList<TargetVerdict> Judge(IReadOnlyList<ServerResults> servers)
    {
        if (!HasOurs(servers))
        {
            return [];
        }
        var ours = servers[0];
        var peers = servers.Skip(1).ToArray();
        return
        [
            Relative("latency p99 <= each peer's", "latency", servers, s => s.Latency?.P99, "F2", " ms",
                (o, p) => o <= p, p => p, "at most"),
            Relative($"latency p50 <= {LatencyP50Factor}x each peer's", "latency", servers, s => s.Latency?.P50, "F2", " ms",
                (o, p) => o <= LatencyP50Factor * p, p => LatencyP50Factor * p, "at most"),
            Hops(servers),
            Relative("server RSS in the latency scenario <= each peer's", "latency", servers, s => s.Latency?.ServerRssMiB, "F0", " MiB",
                (o, p) => o <= p, p => p, "at most"),
            FanOut(servers),
            Capacity(servers),
            BytesPerUpdate(servers),
            Relative($"idle <= {MaxIdleKiB} KiB per connection over all server processes, and <= each peer's", "idle", servers, s => s.Idle?.TotalKiBPerConnection, "F1", " KiB",
                (o, p) => o <= p, p => p, "at most", absolute: o => o <= MaxIdleKiB ? null : $"{o:F1} KiB is over {MaxIdleKiB} KiB"),
            Relative("pump: drain rate >= each peer's", "pump", servers, s => s.Pump?.MessagesPerSecond, "N0", "/s",
                (o, p) => o >= p, p => p, "at least"),
        ];
    }

    private static TargetVerdict FanOut(IReadOnlyList<ServerResults> servers) =>
        Relative($"fan-out: frames delivered >= each peer's, <= {MaxMissingPercent} % conflated", "fanout", servers, s => s.FanOut?.FramesPerSecond, "N0", "/s",
            (o, p) => o >= p, p => p, "at least",
            absolute: _ => servers[0].FanOut!.MissingPercent <= MaxMissingPercent ? null : $"{servers[0].FanOut!.MissingPercent:F1} % conflated or missing (at most {MaxMissingPercent} %)");

    /// <summary>
    /// Capacity: ours at least <see cref="CapacityFactor"/> times each peer's. A search that sustained every step
    /// only gives a lower bound, and one that sustained none only an upper bound (its lowest step); a comparison the
    /// bounds cannot settle is not judged.
    /// </summary>
    private static TargetVerdict Capacity(IReadOnlyList<ServerResults> servers)
    {
        const string target = "capacity >= 1.3x each peer's (highest offered frames/s with <= 1 % missing and p99 < 1 s)";
        var figures = servers.Select(s => s.Capacity is { } c ? Bounded(c) : Missing(s, "capacity")).ToArray();
        var ours = servers[0];
        if (ours.Capacity is not { } mine)
        {
            return new(target, figures, Outcome.NotJudged, OursMissing(ours, "capacity"));
        }
        var oursOpen = mine.Steps.All(s => s.Sustained);
        var missed = new List<string>();
        var met = new List<string>();
        var notJudged = new List<string>();
        foreach (var (peer, column) in servers.Select((s, i) => (s, i)).Skip(1))
        {
            if (peer.Capacity is not { } theirs)
            {
                notJudged.Add(PeerMissing(peer, "capacity"));
                continue;
            }
            var verdict = CompareCapacity(mine.SustainedFramesPerSecond, oursOpen, mine.FirstNotSustained, theirs.SustainedFramesPerSecond, theirs.Steps.All(s => s.Sustained), theirs.FirstNotSustained);
            var text = $"{Bounded(mine)}/s against {peer.Server}'s {Bounded(theirs)}/s" +
                (verdict == Outcome.NotJudged ? " (a search that sustained every step, or none, only bounds a capacity: change --capacity-start or --capacity-max)" : "");
            (verdict switch { Outcome.Met => met, Outcome.Missed => missed, _ => notJudged }).Add(text);
        }
        return Combine(target, figures, missed, met, notJudged, servers.Count);
    }

    /// <summary>A capacity as its search found it: the highest rate sustained, at least it, or under the lowest tried.</summary>
    private static string Bounded(CapacityResult capacity) =>
        capacity.SustainedFramesPerSecond is { } sustained
            ? (capacity.Steps.All(s => s.Sustained) ? "at least " : "") + Number(sustained, "N0")
            : "under " + Number(capacity.FirstNotSustained, "N0");

    /// <summary>
    /// Ours' capacity against a peer's, each known as the highest offered rate sustained (null: no step was), open
    /// (every step was sustained, so the rate is a lower bound) or bounded by the lowest rate not sustained.
    /// </summary>
    internal static Outcome CompareCapacity(double? ours, bool oursOpen, double? oursFirstFailed, double? theirs, bool theirsOpen, double? theirsFirstFailed)
    {
        if (theirsOpen)
        {
            // Their capacity is at least `theirs`: ours can be shown short, never enough.
            return !oursOpen && oursFirstFailed is { } ceiling && theirs is { } floor && ceiling <= CapacityFactor * floor ? Outcome.Missed : Outcome.NotJudged;
        }
        if (theirs is null)
        {
            // Even their lowest step was too much: their capacity is under it.
            return ours is { } o && theirsFirstFailed is { } under && o >= CapacityFactor * under ? Outcome.Met : Outcome.NotJudged;
        }
        if (ours is not { } mine)
        {
            return Outcome.Missed;
        }
        if (mine >= CapacityFactor * theirs.Value)
        {
            return Outcome.Met;
        }
        return oursOpen ? Outcome.NotJudged : Outcome.Missed;
    }

    /// <summary>Each hop of ours' mean latency (pump, chart, gateway and socket) within <see cref="MaxHopMilliseconds"/>; the peers have no hops to split.</summary>
    private static TargetVerdict Hops(IReadOnlyList<ServerResults> servers)
    {
        var target = $"each hop of the mean latency <= {MaxHopMilliseconds} ms (ours; queue and pump, quote centre and chart, gateway and socket)";
        var hops = servers[0].Latency is { Stages: { } stages } latency
            ? new[] { stages.ToPump, stages.ToChartUpdate - stages.ToPump, latency.Mean - stages.ToChartUpdate }
            : null;
        var figures = servers.Select((s, i) => i == 0 && hops is not null ? string.Join(" + ", hops.Select(h => Number(h, "F2"))) : Missing(s, "latency")).ToArray();
        if (hops is null)
        {
            return new(target, figures, Outcome.NotJudged, servers[0].Latency is null ? OursMissing(servers[0], "latency") : "the run measured no split");
        }
        var over = hops.Count(h => h > MaxHopMilliseconds);
        return over == 0
            ? new(target, figures, Outcome.Met, $"all {hops.Length} hops within {MaxHopMilliseconds} ms")
            : new(target, figures, Outcome.Missed, $"{over} of {hops.Length} hops over {MaxHopMilliseconds} ms");
    }

    private static TargetVerdict BytesPerUpdate(IReadOnlyList<ServerResults> servers)
    {
        var target = $"bytes per chart update <= {MaxBytesPerUpdate} in the compact form (worst of the streaming scenarios run; the JSON form is in the wire scenario's rows)";
        // Our streaming clients speak the compact form, as the browser library does; the wire scenario's run of it
        // under the server's plain name counts too, its JSON-form and deflate runs do not.
        static double? Worst(ServerResults s) =>
            new[] { s.Latency?.BytesPerUpdate, s.FanOut?.BytesPerUpdate }
                .Concat(s.Wire.Where(w => w.Server == s.Server).Select(w => (double?)w.BytesPerUpdate))
                .Where(v => v is { } x && double.IsFinite(x)).Max();
        var figures = servers.Select(s => Worst(s) is { } v ? Number(v, "N0") : Missing(s, "latency")).ToArray();
        var ours = servers[0];
        if (Worst(ours) is not { } bytes)
        {
            return new(target, figures, Outcome.NotJudged, ours.Failures.Count > 0 ? OursMissing(ours, "latency") : "no streaming scenario run");
        }
        return bytes <= MaxBytesPerUpdate
            ? new(target, figures, Outcome.Met, $"{bytes:F0} bytes")
            : new(target, figures, Outcome.Missed, $"{bytes:F0} bytes is over {MaxBytesPerUpdate}");
    }

    /// <summary>
    /// A target ours meets when <paramref name="meets"/>(ours, peer) holds for every peer, and
    /// <paramref name="absolute"/>(ours) (a reason it misses, or null) says nothing.
    /// </summary>
    private static TargetVerdict Relative(
        string target, string scenario, IReadOnlyList<ServerResults> servers, Func<ServerResults, double?> figure, string format, string unit,
        Func<double, double, bool> meets, Func<double, double> bound, string boundWord, Func<double, string?>? absolute = null)
    {
        var figures = servers.Select(s => figure(s) is { } v && double.IsFinite(v) ? Number(v, format) : Missing(s, scenario)).ToArray();
        var ours = servers[0];
        if (figure(ours) is not { } mine || !double.IsFinite(mine))
        {
            return new(target, figures, Outcome.NotJudged, OursMissing(ours, scenario));
        }
        var missed = new List<string>();
        var met = new List<string>();
        var notJudged = new List<string>();
        if (absolute?.Invoke(mine) is { } absoluteMiss)
        {
            missed.Add(absoluteMiss);
        }
        foreach (var peer in servers.Skip(1))
        {
            if (figure(peer) is not { } theirs || !double.IsFinite(theirs))
            {
                notJudged.Add(PeerMissing(peer, scenario));
            }
            else if (meets(mine, theirs))
            {
                met.Add($"{Number(mine, format)}{unit} against {peer.Server}'s {Number(theirs, format)}{unit}");
            }
            else
            {
                missed.Add($"{Number(mine, format)}{unit} against {peer.Server}'s {Number(theirs, format)}{unit} ({boundWord} {Number(bound(theirs), format)}{unit})");
            }
        }
        return Combine(target, figures, missed, met, notJudged, servers.Count);
    }

    private static TargetVerdict Combine(string target, IReadOnlyList<string> figures, List<string> missed, List<string> met, List<string> notJudged, int servers)
    {
        if (missed.Count > 0)
        {
            return new(target, figures, Outcome.Missed, string.Join("; ", missed.Concat(met.Select(m => "met: " + m)).Concat(notJudged.Select(n => "not judged: " + n))));
        }
        if (notJudged.Count > 0 || servers < 2)
        {
            return new(target, figures, Outcome.NotJudged, servers < 2 ? "no peer run" : string.Join("; ", notJudged.Concat(met.Select(m => "met: " + m))));
        }
        return new(target, figures, Outcome.Met, string.Join("; ", met));
    }

    private static string Missing(ServerResults server, string scenario) => server.Failures.ContainsKey(scenario) ? "did not finish" : "-";

    private static string OursMissing(ServerResults ours, string scenario) =>
        ours.Failures.TryGetValue(scenario, out var why) ? $"ours did not finish {scenario}: {why}" : $"{scenario} not run";

    private static string PeerMissing(ServerResults peer, string scenario) =>
        peer.Failures.TryGetValue(scenario, out var why) ? $"{peer.Server} did not finish {scenario} ({why})" : $"{scenario} not run for {peer.Server}";

    private static string Number(double? value, string format) => ComparisonTable.Format(value, format);
}
