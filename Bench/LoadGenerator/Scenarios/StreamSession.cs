using System.Diagnostics;
using Realtime.Bench.Clients;
using Realtime.Bench.Load;
using Realtime.Bench.Measurement;
using StackExchange.Redis;

namespace Realtime.Bench.Scenarios;

/// <summary>
/// Clients connected to one server, client <c>i</c> watching symbol <c>i mod symbols</c>, ready to measure one or
/// more runs of quotes (<see cref="Measure"/>) without reconnecting. Quotes are numbered on from run to run, so a late
/// frame of an earlier run is never taken for one of the current run.
/// </summary>
public sealed class StreamSession : IAsyncDisposable
{
    private readonly BenchTarget _target;
    private readonly string[] _symbols;
    private readonly int[] _viewers;
    private readonly ClientFleet _fleet;
    private readonly TimeSpan _firstClientTime;
    private long _nextSeq;

    private StreamSession(BenchTarget target, string[] symbols, int[] viewers, ClientFleet fleet, TimeSpan firstClientTime)
    {
        _target = target;
        _symbols = symbols;
        _viewers = viewers;
        _fleet = fleet;
        _firstClientTime = firstClientTime;
        _nextSeq = symbols.Length + 1;
    }

    public int Connected => _fleet.Connected;

    /// <summary>Clients the server closed or lost since they connected.</summary>
    public int Lost => _fleet.Lost;

    /// <summary>
    /// Seeds one quote per symbol (so every symbol exists before clients ask for it), then connects one client alone
    /// (a server slow to serve its very first client is reported as such, instead of stalling the whole fleet's
    /// connect and being mistaken for slow connects), then <paramref name="clients"/> clients.
    /// </summary>
    public static async Task<StreamSession> Open(BenchTarget target, string symbolPrefix, int clients, int symbolCount, CancellationToken cancellationToken)
    {
        var redis = target.Redis.GetDatabase();
        var symbols = QuoteMessages.Symbols(symbolPrefix, symbolCount);
        await QuotePusher.Seed(redis, target.Queue, symbols);
        await QueueProbe.WaitDrained(redis, target.Queue, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500));

        var viewers = new int[symbols.Length];
        for (var i = 0; i < clients; i++)
        {
            viewers[i % symbols.Length]++;
        }
        var probe = Stopwatch.StartNew();
        await using (await ClientFleet.Connect(target.Protocol, 1, _ => [symbols[0]], null, cancellationToken))
        {
        }
        var firstClient = probe.Elapsed;
        var fleet = await ClientFleet.Connect(target.Protocol, clients, i => [symbols[i % symbols.Length]], new MeasurementSlot(), cancellationToken);
        return new StreamSession(target, symbols, viewers, fleet, firstClient);
    }

    /// <summary>
    /// Pushes quotes at <paramref name="settings"/>' rate for its warm-up and its measured window, then lets the
    /// window's last frames arrive (<see cref="StreamSettings.Drain"/>). Clients and symbols are the session's.
    /// </summary>
    public async Task<StreamResult> Measure(StreamSettings settings, CancellationToken cancellationToken)
    {
        var redis = _target.Redis.GetDatabase();
        var total = settings.Warmup + settings.Duration;
        var times = new SendTimes(_nextSeq, (int)(settings.QuotesPerSecond * (total.TotalSeconds + 5)) + 4096);
        var measurements = new StreamMeasurements(times);
        _fleet.Measurements.Current = measurements;

        var pusher = new QuotePusher(redis, _target.Queue, _symbols, _viewers, measurements) { FirstSeq = _nextSeq };
        using var stopPushing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pushing = pusher.Run(settings.QuotesPerSecond, total + TimeSpan.FromSeconds(5), stopPushing.Token);
        try
        {
            await Task.Delay(settings.Warmup, cancellationToken);

            IReadOnlyList<MonitoredProcess> monitored = _target.RedisProcess is { } redisProcess ? [.. _target.ServerProcesses, redisProcess] : _target.ServerProcesses;
            var cpu = CpuWindow.Start(monitored);
            var generator = CpuWindow.Start([new MonitoredProcess("generator", Environment.ProcessId)]);
            var stages = _target.StageMetrics is { } metrics ? new LatencyStages(metrics) : null;
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
            var rss = _target.ServerProcesses.Sum(p => p.RssBytes());
            await stopPushing.CancelAsync();
            await pushing;
            _nextSeq = pusher.NextSeq;
            await Task.Delay(settings.Drain, cancellationToken);

            var window = Stopwatch.GetElapsedTime(opened, closed).TotalSeconds;
            var latency = measurements.Latency;
            var servers = _target.ServerProcesses.Count;
            return new StreamResult(
                settings,
                _target.Name,
                _fleet.Connected,
                _firstClientTime,
                _fleet.ConnectTime,
                pusher.SentInWindow,
                pusher.ExpectedInWindow,
                measurements.Delivered,
                measurements.ArrivedInWindow / window,
                latency.PercentileMilliseconds(50),
                latency.PercentileMilliseconds(99),
                latency.PercentileMilliseconds(99.9),
                latency.MaxMilliseconds,
                latency.MeanMilliseconds,
                measurements.BytesPerUpdate,
                servers == 0 ? double.NaN : Enumerable.Range(0, servers).Sum(cpu.PercentOf),
                servers == 0 ? double.NaN : rss / 1048576.0,
                _target.RedisProcess is null ? double.NaN : cpu.PercentOf(servers),
                generator.TotalPercent,
                measurements.Failures,
                measurements.FailureSamples.FirstOrDefault(),
                string.Join(", ", monitored.Select((p, i) => $"{p.Name} {cpu.PercentOf(i):F0}%").Append($"generator {generator.TotalPercent:F0}%")),
                stages?.Means())
            {
                LostClients = _fleet.Lost,
                WireBytesPerUpdate = _target.Protocol.CountsWireBytes ? measurements.WireBytesPerUpdate : double.NaN,
            };
        }
        finally
        {
            await stopPushing.CancelAsync();
            await pushing;
            _nextSeq = Math.Max(_nextSeq, pusher.NextSeq);
        }
    }

    /// <summary>
    /// Waits (bounded) until the server has caught up after a run it could not keep up with: one more quote per
    /// symbol, and every client still connected has received its symbol's. A connection delivers in order, so by
    /// then nothing of the earlier run is still queued for it (ours may have merged it into that last update, which
    /// is what a slow client is meant to get). False when that took longer than <paramref name="timeout"/>.
    /// </summary>
    public async Task<bool> WaitCaughtUp(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var redis = _target.Redis.GetDatabase();
        var first = _nextSeq;
        _nextSeq += _symbols.Length;
        var marks = new StreamMeasurements(new SendTimes(first, _symbols.Length));
        var sent = Stopwatch.GetTimestamp();
        marks.OpenWindow(sent);
        // A millisecond ahead of the clock: newer than anything the last run pushed, so no server skips it as stale.
        var unixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1;
        var quotes = new RedisValue[_symbols.Length];
        for (var i = 0; i < _symbols.Length; i++)
        {
            marks.SendTimes.Record(first + i, sent);
            quotes[i] = QuoteMessages.Quote(_symbols[(int)((first + i) % _symbols.Length)], first + i, unixMs);
        }
        _fleet.Measurements.Current = marks;
        await redis.ListLeftPushAsync(_target.Queue, quotes);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (marks.Delivered >= _fleet.Connected - _fleet.Lost)
            {
                return true;
            }
            await Task.Delay(100, cancellationToken);
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        _fleet.Measurements.Current = null;
        await _fleet.DisposeAsync();
    }
}
