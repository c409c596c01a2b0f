using Realtime.Bench;
using Realtime.Bench.Runner;
using Realtime.Bench.Scenarios;

namespace Realtime.Tests.Bench;

/// <summary>
/// The benchmark runner's own logic, without servers: the verdict on each of issue 17's targets against every peer,
/// the capacity search's steps, and the report that shows both peers' columns.
/// </summary>
public sealed class BenchVerdictTests
{
    private static readonly StreamSettings Latency = new("latency", "LAT", 1000, 50, 1000, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    private static readonly CapacitySettings Search = new(10_000, 10, StartQuotesPerSecond: 100, Factor: 1.25, MaxQuotesPerSecond: 1000, Refinements: 2,
        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

    [Fact]
    public void A_relative_target_is_met_only_when_ours_meets_it_against_every_peer_and_the_miss_names_the_peer()
    {
        var ours = Server(OursDeployment.ServerName, latency: Stream(p50: 1.5, p99: 9));
        var signalR = Server(SignalRDeployment.ServerName, latency: Stream(p50: 1, p99: 10));
        var socketIo = Server(SocketIoDeployment.ServerName, latency: Stream(p50: 0.5, p99: 8));

        var verdicts = Verdicts.Judge([ours, signalR, socketIo]);

        var p99 = verdicts.Single(v => v.Target.StartsWith("latency p99", StringComparison.Ordinal));
        Assert.Equal(Outcome.Missed, p99.Outcome);
        Assert.Contains("Socket.IO + Redis adapter's 8.00 ms", p99.Detail);
        Assert.Contains("met: 9.00 ms against SignalR + Redis backplane's 10.00 ms", p99.Detail);
        Assert.Equal(["9.00", "10.00", "8.00"], p99.Figures);
        var p50 = verdicts.Single(v => v.Target.StartsWith("latency p50", StringComparison.Ordinal));
        Assert.Equal(Outcome.Missed, p50.Outcome);
        Assert.Contains("at most 1.00 ms", p50.Detail);

        var againstSignalROnly = Verdicts.Judge([ours, signalR]);
        Assert.Equal(Outcome.Met, againstSignalROnly.Single(v => v.Target.StartsWith("latency p99", StringComparison.Ordinal)).Outcome);
        Assert.Equal(Outcome.Met, againstSignalROnly.Single(v => v.Target.StartsWith("latency p50", StringComparison.Ordinal)).Outcome);
    }

    [Fact]
    public void Absolute_targets_bytes_per_update_idle_and_conflation_are_judged_on_ours_alone()
    {
        var ours = Server(OursDeployment.ServerName, latency: Stream(bytes: 98), fanOut: Stream(frames: 250_000, expected: 1000, delivered: 985, bytes: 101),
            idle: Idle(kib: 11, otherKib: 2), pump: 100_000);
        var signalR = Server(SignalRDeployment.ServerName, latency: Stream(bytes: 107), fanOut: Stream(frames: 240_000, bytes: 105), idle: Idle(kib: 29), pump: 150_000);

        var verdicts = Verdicts.Judge([ours, signalR]).ToDictionary(v => v.Target.Split(' ')[0] + " " + v.Target.Split(' ')[1]);

        // The worst streaming scenario counts: 101 bytes in the fan-out.
        Assert.Equal(Outcome.Missed, verdicts["bytes per"].Outcome);
        Assert.Contains("101 bytes is over 100", verdicts["bytes per"].Detail);
        // 11 + 2 KiB over all server processes is over 12, though under the peer's 29.
        Assert.Equal(Outcome.Missed, verdicts["idle <="].Outcome);
        Assert.Contains("13.0 KiB is over 12 KiB", verdicts["idle <="].Detail);
        // More frames than the peer, but 1.5 % missing.
        Assert.Equal(Outcome.Missed, verdicts["fan-out: frames"].Outcome);
        Assert.Contains("1.5 % conflated", verdicts["fan-out: frames"].Detail);
        Assert.Equal(Outcome.Missed, verdicts["pump: drain"].Outcome);
    }

    [Fact]
    public void Bytes_per_update_are_judged_on_the_compact_form_and_the_JSON_and_deflate_forms_are_only_reported()
    {
        var ours = Server(OursDeployment.ServerName, latency: Stream(bytes: 72));
        ours.Wire.Add(Stream(bytes: 185) with { Server = OursDeployment.ServerName + " (JSON form)" });
        ours.Wire.Add(Stream(bytes: 74) with { Server = OursDeployment.ServerName });
        ours.Wire.Add(Stream(bytes: 74) with { Server = OursDeployment.ServerName + " + deflate", WireBytesPerUpdate = 25 });
        var signalR = Server(SignalRDeployment.ServerName, latency: Stream(bytes: 107));

        var bytes = Verdicts.Judge([ours, signalR]).Single(v => v.Target.StartsWith("bytes per", StringComparison.Ordinal));
        var rows = ComparisonTable.Rows(new SuiteSettings(new BenchArguments(["--logs", Path.Combine(Path.GetTempPath(), "realtime-bench-verdict-test")])), [ours, signalR]);

        Assert.Equal(Outcome.Met, bytes.Outcome);
        Assert.Contains("74 bytes", bytes.Detail);
        Assert.Contains(rows, r => r.Metric == "Realtime.Orleans (JSON form): bytes per update, WebSocket payload" && r.Values[0] == 185 && r.Values[1] is null);
        Assert.Contains(rows, r => r.Metric.StartsWith("Realtime.Orleans + deflate: bytes per update on the wire", StringComparison.Ordinal) && r.Values[0] == 25);
    }

    [Fact]
    public void A_scenario_that_did_not_finish_leaves_its_target_not_judged_with_the_reason()
    {
        var ours = Server(OursDeployment.ServerName, pump: 200_000);
        ours.Failures["idle"] = "InvalidOperationException: 48 of 50 clients could not connect and subscribe; first: 401";
        var signalR = Server(SignalRDeployment.ServerName, idle: Idle(kib: 29), pump: 150_000);
        var socketIo = Server(SocketIoDeployment.ServerName, idle: Idle(kib: 20));
        socketIo.Failures["pump"] = "TimeoutException: queue:rtserver was not drained within 00:03:00";

        var verdicts = Verdicts.Judge([ours, signalR, socketIo]);

        var idle = verdicts.Single(v => v.Target.StartsWith("idle", StringComparison.Ordinal));
        Assert.Equal(Outcome.NotJudged, idle.Outcome);
        Assert.Contains("ours did not finish idle: InvalidOperationException: 48 of 50", idle.Detail);
        Assert.Equal(["did not finish", "29.0", "20.0"], idle.Figures);
        var pump = verdicts.Single(v => v.Target.StartsWith("pump", StringComparison.Ordinal));
        Assert.Equal(Outcome.NotJudged, pump.Outcome);
        Assert.Contains("Socket.IO + Redis adapter did not finish pump (TimeoutException", pump.Detail);
        Assert.Contains("met: 200,000/s against SignalR + Redis backplane's 150,000/s", pump.Detail);
        Assert.Equal(Outcome.NotJudged, verdicts.Single(v => v.Target.StartsWith("latency p99", StringComparison.Ordinal)).Outcome);
    }

    [Theory]
    // ours, ours open, ours first failed, theirs, theirs open, theirs first failed, expected
    [InlineData(260_000.0, false, 300_000.0, 200_000.0, false, 250_000.0, Outcome.Met)]
    [InlineData(250_000.0, false, 300_000.0, 200_000.0, false, 250_000.0, Outcome.Missed)]
    [InlineData(null, false, 100_000.0, 100_000.0, false, 125_000.0, Outcome.Missed)]
    // Every step of ours sustained and still short of 1.3x: the search stopped too low to tell.
    [InlineData(250_000.0, true, null, 200_000.0, false, 250_000.0, Outcome.NotJudged)]
    // Every step of theirs sustained: ours can only be shown short, when ours has a ceiling below 1.3x their floor.
    [InlineData(250_000.0, false, 300_000.0, 250_000.0, true, null, Outcome.Missed)]
    [InlineData(500_000.0, false, 600_000.0, 250_000.0, true, null, Outcome.NotJudged)]
    // No step of theirs sustained: their capacity is under their lowest step.
    [InlineData(200_000.0, false, 250_000.0, null, false, 100_000.0, Outcome.Met)]
    [InlineData(120_000.0, false, 150_000.0, null, false, 100_000.0, Outcome.NotJudged)]
    public void Capacity_is_compared_as_found_by_the_search_and_bounds_that_cannot_settle_it_are_not_judged(
        double? ours, bool oursOpen, double? oursFirstFailed, double? theirs, bool theirsOpen, double? theirsFirstFailed, Outcome expected)
    {
        Assert.Equal(expected, Verdicts.CompareCapacity(ours, oursOpen, oursFirstFailed, theirs, theirsOpen, theirsFirstFailed));
    }

    [Theory]
    [InlineData(190.0)]
    [InlineData(100.0)]
    [InlineData(720.0)]
    [InlineData(60.0)]
    [InlineData(7.0)]
    [InlineData(5000.0)]
    public void The_capacity_search_climbs_until_a_step_fails_then_refines_between_the_last_sustained_and_the_first_not(double capacity)
    {
        var steps = new List<(double Rate, bool Sustained)>();
        while (CapacityScenario.NextRate(Search, steps) is { } rate)
        {
            Assert.True(steps.Count < 20, "the search ends");
            steps.Add((rate, rate <= capacity));
        }

        var found = steps.Where(s => s.Sustained).Select(s => s.Rate).DefaultIfEmpty(0).Max();
        var firstFailed = steps.Where(s => !s.Sustained).Select(s => s.Rate).DefaultIfEmpty(double.PositiveInfinity).Min();
        Assert.True(found <= capacity && capacity < firstFailed, $"{capacity} lies in [{found}, {firstFailed}): {string.Join(", ", steps)}");
        Assert.Equal(100, steps[0].Rate);
        if (capacity >= Search.MaxQuotesPerSecond)
        {
            // Never beyond --capacity-max, and the maximum itself is tried.
            Assert.Equal(Search.MaxQuotesPerSecond, steps[^1].Rate);
            Assert.All(steps, s => Assert.True(s.Sustained));
        }
        else
        {
            // Two refinements of a 1.25x step: the bracket ends within 1.25^(1/4), about 6 %, also when the search
            // had to halve its way down from the start.
            Assert.True(found > 0 && firstFailed / found <= Search.Resolution + 1e-9, $"bracket [{found}, {firstFailed}) after {string.Join(", ", steps)}");
        }
    }

    [Theory]
    [InlineData(true, new[] { 100.0, 100.0, 125.0 })]
    [InlineData(false, new[] { 100.0, 100.0, 50.0 })]
    public void A_first_step_missed_by_a_hair_is_run_again_before_the_search_halves(bool retriedStepSustained, double[] expectedRates)
    {
        var steps = new List<(double Rate, bool Sustained)>();
        while (CapacityScenario.NextRate(Search, steps, firstStepBorderline: steps.Count == 1) is { } rate && steps.Count < expectedRates.Length)
        {
            // The start fails narrowly; its retry is sustained or not; what follows is sustained.
            steps.Add((rate, steps.Count switch { 0 => false, 1 => retriedStepSustained, _ => true }));
        }

        Assert.Equal(expectedRates, steps.Select(s => s.Rate));
    }

    [Fact]
    public void A_step_missed_by_a_hair_is_borderline_and_one_missed_by_more_is_not()
    {
        Assert.True(CapacityScenario.Borderline(Stream(p99: 823, expected: 1000, delivered: 987), Search));
        Assert.False(CapacityScenario.Borderline(Stream(p99: 500, expected: 1000, delivered: 970), Search));
        Assert.False(CapacityScenario.Borderline(Stream(p99: 1600, expected: 1000, delivered: 1000), Search));
    }

    [Fact]
    public void A_step_is_sustained_with_at_most_1_percent_missing_and_p99_under_a_second()
    {
        Assert.Null(CapacityScenario.Judge(Stream(p99: 999, expected: 1000, delivered: 990), Search));
        Assert.Equal("1.1 % missing", CapacityScenario.Judge(Stream(p99: 500, expected: 1000, delivered: 989), Search));
        Assert.Equal("p99 1000 ms", CapacityScenario.Judge(Stream(p99: 1000, expected: 1000, delivered: 1000), Search));
        Assert.Equal("no frames delivered", CapacityScenario.Judge(Stream(expected: 1000, delivered: 0), Search));
    }

    [Fact]
    public void The_report_shows_every_servers_column_the_ratios_to_each_peer_the_verdicts_and_what_did_not_finish()
    {
        var settings = new SuiteSettings(new BenchArguments(["--logs", Path.Combine(Path.GetTempPath(), "realtime-bench-verdict-test")]));
        var ours = Server(OursDeployment.ServerName, latency: Stream(p50: 2, p99: 10, bytes: 110), pump: 150_000);
        ours.Capacity = new CapacityResult(OursDeployment.ServerName, Search,
            [Step(100, sustained: true), Step(125, sustained: true), Step(156.25, sustained: false)], "bracketed");
        var signalR = Server(SignalRDeployment.ServerName, latency: Stream(p50: 1, p99: 20, bytes: 107), pump: 100_000);
        signalR.Capacity = new CapacityResult(SignalRDeployment.ServerName, Search, [Step(100, sustained: true), Step(125, sustained: false)], "bracketed");
        var socketIo = Server(SocketIoDeployment.ServerName, latency: Stream(p50: 4, p99: 40, bytes: 74));
        socketIo.Failures["pump"] = "TimeoutException: no consumer started taking from queue:rtserver within 00:03:00";

        var report = ComparisonTable.Markdown(settings, [ours, signalR, socketIo]);

        Assert.Contains("| scenario | metric | Realtime.Orleans | SignalR + Redis backplane | Socket.IO + Redis adapter | ours / SignalR + Redis backplane | ours / Socket.IO + Redis adapter |", report);
        Assert.Contains("| latency p99, ms | 10.00 | 20.00 | 40.00 | 0.50 | 0.25 |", report);
        Assert.Contains("| highest offered frames/s sustained (<= 1 % missing, p99 < 1,000 ms) | 125,000 | 100,000 | - | 1.25 | - |", report);
        Assert.Contains("| latency p99 <= each peer's | 10.00 | 20.00 | 40.00 | met:", report);
        Assert.Contains("| capacity >= 1.3x each peer's", report);
        Assert.Contains("MISSED: 125,000/s against SignalR + Redis backplane's 100,000/s", report);
        Assert.Contains("| capacity >= 1.3x each peer's (highest offered frames/s with <= 1 % missing and p99 < 1 s) | 125,000 | 100,000 | - |", report);
        Assert.Contains("- Socket.IO + Redis adapter, pump: TimeoutException: no consumer started taking", report);
        Assert.Contains("- Realtime.Orleans: 100,000 offered:", report);
    }

    [Fact]
    public void Each_hop_of_ours_mean_is_judged_against_its_bound_and_the_latency_scenarios_memory_against_each_peer()
    {
        // Mean 1.9 ms = pump 0.5 + chart 0.3 + gateway 1.1: one hop over 0.7 ms.
        var ours = Server(OursDeployment.ServerName, latency: Stream(p50: 1.9, rss: 250) with { Stages = (0.5, 0.8) });
        var signalR = Server(SignalRDeployment.ServerName, latency: Stream(rss: 200));
        var socketIo = Server(SocketIoDeployment.ServerName, latency: Stream(rss: 280));

        var verdicts = Verdicts.Judge([ours, signalR, socketIo]);

        var hops = verdicts.Single(v => v.Target.StartsWith("each hop", StringComparison.Ordinal));
        Assert.Equal(Outcome.Missed, hops.Outcome);
        Assert.Equal("1 of 3 hops over 0.7 ms", hops.Detail);
        Assert.Equal("0.50 + 0.30 + 1.10", hops.Figures[0]);
        var rss = verdicts.Single(v => v.Target.StartsWith("server RSS", StringComparison.Ordinal));
        Assert.Equal(Outcome.Missed, rss.Outcome);
        Assert.Contains("250 MiB against SignalR + Redis backplane's 200 MiB", rss.Detail);
        Assert.Contains("met: 250 MiB against Socket.IO + Redis adapter's 280 MiB", rss.Detail);

        var quicker = Verdicts.Judge([Server(OursDeployment.ServerName, latency: Stream(p50: 1.5, rss: 150) with { Stages = (0.5, 0.8) }), signalR]);
        Assert.Equal(Outcome.Met, quicker.Single(v => v.Target.StartsWith("each hop", StringComparison.Ordinal)).Outcome);
        Assert.Equal(Outcome.Met, quicker.Single(v => v.Target.StartsWith("server RSS", StringComparison.Ordinal)).Outcome);
        // A run that measured no split (a peer's, or ours without stages) is not judged, and says why.
        Assert.Equal(Outcome.NotJudged, Verdicts.Judge([Server(OursDeployment.ServerName, latency: Stream()), signalR]).Single(v => v.Target.StartsWith("each hop", StringComparison.Ordinal)).Outcome);
    }

    private static CapacityStep Step(double rate, bool sustained) =>
        new(rate, Search.OfferedFrames(rate), Stream(p99: sustained ? 500 : 1500), sustained ? null : "p99 1500 ms");

    private static ServerResults Server(string name, StreamResult? latency = null, StreamResult? fanOut = null, IdleResult? idle = null, double? pump = null) =>
        new(name)
        {
            Latency = latency,
            FanOut = fanOut,
            Idle = idle,
            Pump = pump is { } rate ? new PumpResult(name, 200_000, (long)rate, TimeSpan.FromSeconds(1)) : null,
        };

    private static IdleResult Idle(double kib, double otherKib = 0) =>
        new("server", 1024, 1024, TimeSpan.FromSeconds(1), 100, 100 + kib, otherKib);

    private static StreamResult Stream(double p50 = 1, double p99 = 2, double frames = 20_000, long expected = 1000, long delivered = 1000, double bytes = 100, double rss = 200) =>
        new(Latency, "server", 1000, TimeSpan.Zero, TimeSpan.Zero, 100, expected, delivered, frames, p50, p99, p99, p99, p50, bytes,
            100, rss, 10, 50, 0, null, "", null);
}
