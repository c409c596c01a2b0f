using System.Diagnostics;
using Realtime.Bench.Clients;
using Realtime.Bench.Load;
using Realtime.Bench.Measurement;

namespace Realtime.Bench.Scenarios;

/// <summary>
/// Clients watching symbols while quotes stream in: end-to-end latency (LPUSH to frame received), frames
/// delivered per second, frames missing (conflated or dropped), and the server's CPU and memory meanwhile.
/// </summary>
public static class StreamScenario
{
    public static async Task<StreamResult> Run(BenchTarget target, StreamSettings settings, CancellationToken cancellationToken)
    {
        var redis = target.Redis.GetDatabase();
        var symbols = QuoteMessages.Symbols(settings.SymbolPrefix, settings.Symbols);
        await QuotePusher.Seed(redis, target.Queue, symbols);
        await QueueProbe.WaitDrained(redis, target.Queue, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500));

        var viewers = new int[symbols.Length];
        for (var i = 0; i < settings.Clients; i++)
        {
            viewers[i % symbols.Length]++;
        }
        var total = settings.Warmup + settings.Duration;
        var times = new SendTimes(symbols.Length + 1 + (int)(settings.QuotesPerSecond * (total.TotalSeconds + 5)) + 4096);
        var measurements = new StreamMeasurements(times);
        // One client first, alone: a server that is slow to serve its very first client (cold start) is reported as
        // such, instead of stalling the whole fleet's connect and being mistaken for slow connects.
        var probe = Stopwatch.StartNew();
        await using (await ClientFleet.Connect(target.Protocol, 1, _ => [symbols[0]], null, cancellationToken))
        {
        }
        var firstClient = probe.Elapsed;
        await using var fleet = await ClientFleet.Connect(target.Protocol, settings.Clients, i => [symbols[i % symbols.Length]], measurements, cancellationToken);

        var pusher = new QuotePusher(redis, target.Queue, symbols, viewers, measurements) { FirstSeq = symbols.Length + 1 };
        using var stopPushing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pushing = pusher.Run(settings.QuotesPerSecond, total + TimeSpan.FromSeconds(5), stopPushing.Token);
        await Task.Delay(settings.Warmup, cancellationToken);

        IReadOnlyList<MonitoredProcess> monitored = target.RedisProcess is { } redisProcess ? [.. target.ServerProcesses, redisProcess] : target.ServerProcesses;
        var cpu = CpuWindow.Start(monitored);
        var generator = CpuWindow.Start([new MonitoredProcess("generator", Environment.ProcessId)]);
        var stages = target.StageMetrics is { } metrics ? new LatencyStages(metrics) : null;
        var opened = Stopwatch.GetTimestamp();
        measurements.OpenWindow(opened);
        var stagesOpened = stages?.Open() ?? Task.CompletedTask;
        await Task.Delay(settings.Duration, cancellationToken);
        var closed = Stopwatch.GetTimestamp();
        measurements.CloseWindow(closed);
        await stagesOpened;
        if (stages is not null)
        {
            await stages.Close();
        }
        cpu.Stop();
        generator.Stop();
        var rss = target.ServerProcesses.Sum(p => p.RssBytes());
        await stopPushing.CancelAsync();
        await pushing;
        await Task.Delay(settings.Drain, cancellationToken);

        var window = Stopwatch.GetElapsedTime(opened, closed).TotalSeconds;
        var latency = measurements.Latency;
        var servers = target.ServerProcesses.Count;
        return new StreamResult(
            settings,
            target.Name,
            fleet.Connected,
            firstClient,
            fleet.ConnectTime,
            pusher.SentInWindow,
            pusher.ExpectedInWindow,
            measurements.Delivered,
            measurements.ArrivedInWindow / window,
            latency.PercentileMilliseconds(50),
            latency.PercentileMilliseconds(99),
            latency.PercentileMilliseconds(99.9),
            latency.MaxMilliseconds,
            latency.MeanMilliseconds,
            measurements.ArrivedInWindow == 0 ? double.NaN : (double)measurements.BytesInWindow / measurements.ArrivedInWindow,
            servers == 0 ? double.NaN : Enumerable.Range(0, servers).Sum(cpu.PercentOf),
            servers == 0 ? double.NaN : rss / 1048576.0,
            target.RedisProcess is null ? double.NaN : cpu.PercentOf(servers),
            generator.TotalPercent,
            measurements.Failures,
            measurements.FailureSamples.FirstOrDefault(),
            string.Join(", ", monitored.Select((p, i) => $"{p.Name} {cpu.PercentOf(i):F0}%").Append($"generator {generator.TotalPercent:F0}%")),
            stages?.Means());
    }
}
