using System.Diagnostics;
using System.Text.RegularExpressions;
using Realtime.Hosting;
using Realtime.Quotes;
using Realtime.Tests.Deploy;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Operations;

/// <summary>A silo process sent SIGTERM, as an orchestrator stops it: it ends, in time, and says nothing alarming.</summary>
public sealed partial class SiloShutdownTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_silo_whose_Redis_is_gone_or_hung_exits_within_28_s_of_SIGTERM(bool hung)
    {
        await using var redis = RedisServer.StartPrivate();
        await using var cluster = new RealtimeCluster(redis);
        await using var silo = await ProductProcess.StartSilo(cluster);
        await WaitReady(silo);

        // Killed: connections are refused. Hung (SIGSTOP): they stay open and nothing answers.
        await (hung ? redis.Pause() : redis.Stop());
        var clock = Stopwatch.StartNew();
        await silo.SendTerminate();
        var deadline = ShutdownTimeouts.Silo();
        await silo.Exited.WaitAsync(ShutdownDeadline.MostAllowed + TimeSpan.FromSeconds(10));
        clock.Stop();
        if (hung)
        {
            await redis.Resume();
        }

        // The deadline's timer fires on a thread-pool thread and the runtime then needs a moment to exit.
        Assert.True(clock.Elapsed < ShutdownDeadline.MostAllowed, $"exited after {clock.Elapsed}, allowed {ShutdownDeadline.MostAllowed}");
        Assert.True(clock.Elapsed < deadline + TimeSpan.FromSeconds(3), $"exited after {clock.Elapsed}, deadline {deadline}");
        Assert.Equal(ShutdownDeadline.CutShortExitCode, silo.ExitCode);
        // The queue keeper stops at the signal: at most the one call it had in flight (queued behind a pump waiting on
        // Redis) is reported undeliverable, not one every 2 s until the process was killed.
        var keeperCalls = Regex.Matches(silo.Output, @"EnsureRunning\(\) #").Count;
        Assert.True(keeperCalls <= 1, $"{keeperCalls} keeper calls reported during the shutdown");
    }

    [Fact]
    public async Task A_lone_silo_that_served_a_chart_stops_at_once_on_SIGTERM_and_logs_no_failure()
    {
        await using var cluster = new RealtimeCluster(RedisServer.Shared);
        await using var silo = await ProductProcess.StartSilo(cluster);
        await WaitReady(silo);
        // A chart on a stream, watched and then left, as the demo page does: its grains and their pub/sub
        // subscriptions are what a stopping silo has to put away.
        var gateway = await cluster.StartGateway();
        await Infrastructure.Quotes.Backfill(cluster, "ACME", "1m", Infrastructure.Quotes.Rising(30));
        await Eventually.True(() => cluster.Grains.GetGrain<IQuoteCentreGrain>("ACME").Exists(), "the backfill reached the quote centre");
        await using (var client = await Connected.As(cluster, gateway, "signed-small"))
        {
            await client.Socket.SendJson(new { type = "mychart", id = "c", data = new { action = "open", chartId = "c", symbol = "ACME", period = "1m", mode = "dynamic", indicators = new[] { "MA(5)" }, count = 10 } });
            await client.Next("chart.snapshot");
            await Infrastructure.Quotes.Push(cluster, "ACME", 131.5, 7, Infrastructure.Quotes.T0 + 30 * 60_000L);
            await client.Next("chart.update");
        }
        await cluster.StopGateway(gateway);
        await Eventually.True(async () => await QuotesApplied(silo) >= 1, "the silo counted the quote");

        var clock = Stopwatch.StartNew();
        await silo.Terminate(ShutdownTimeouts.Silo());
        clock.Stop();

        Assert.Equal(0, silo.ExitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"a healthy silo took {clock.Elapsed} to stop");
        // Orleans' memory-stream pulling agents poll every millisecond, and the stop cancels the poll in flight, which
        // Orleans itself logs as an error: that cancellation by the stop is not a failure of the shutdown, anything else is.
        var entries = System.Text.RegularExpressions.Regex.Split(silo.Output, "\n(?=(?:fail|warn|info|dbug|crit|trce): )");
        var failures = entries.Where(entry => entry.StartsWith("fail:", StringComparison.Ordinal))
            .Where(entry => !(entry.Contains("System.OperationCanceledException") && (entry.StartsWith("fail: Orleans.Providers.MemoryAdapterReceiver", StringComparison.Ordinal) || entry.StartsWith("fail: Orleans.Streams.", StringComparison.Ordinal))))
            .ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} fail: lines in\n{silo.Output}");
    }

    private static async Task WaitReady(ProductProcess silo)
    {
        using var http = new HttpClient();
        await Eventually.True(async () => (await http.GetAsync(silo.Http("/readyz"))).IsSuccessStatusCode, "the silo is ready", TimeSpan.FromSeconds(60));
    }

    private static async Task<double> QuotesApplied(ProductProcess silo)
    {
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(silo.Http("/metrics"));
        return AppliedLine().Matches(metrics).Sum(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^realtime_quotes_applied_total(?:\{[^}]*\})? ([0-9.e+]+)", RegexOptions.Multiline)]
    private static partial Regex AppliedLine();
}
