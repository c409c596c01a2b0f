using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Realtime.Gateway;
using Realtime.Services;
using Realtime.Tests.Deploy;
using Realtime.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Realtime.Tests.Operations;

/// <summary>
/// A rolling deploy stops a gateway holding thousands of clients. With the shipped defaults and real processes, it
/// sends them to the other gateway a batch at a time, and each client, reconnecting at a random moment within the
/// window the close names (docs/protocol.md 1.6), resumes its chart: no stampede, no update missed or received twice.
/// </summary>
public sealed partial class RollingDrainTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Clients = 2_000;
    private static readonly string[] Symbols = ["DRA", "DRB", "DRC", "DRD", "DRE", "DRF", "DRG", "DRH", "DRI", "DRJ"];
    private static readonly string[] Indicators = ["MA(5)"];
    private const long Start = Infrastructure.Quotes.T0 + 30 * 60_000L;

    // The shipped defaults: what a client may see is what operators run.
    private static readonly int BatchSize = GatewayOptions.DefaultDrainBatchSize;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(GatewayOptions.DefaultDrainBatchIntervalMilliseconds);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(GatewayOptions.DefaultDrainSeconds);
    private static readonly double RatePerSecond = BatchSize / Interval.TotalSeconds;

    private readonly List<ChartViewer> _viewers = [];
    private readonly Dictionary<string, long> _pushed = Symbols.ToDictionary(s => s, _ => 0L);
    private ProcessDeployment _deployment = null!;

    private RedisServer Redis => _deployment.Redis;

    public async Task InitializeAsync()
    {
        // The shipped defaults; only the drain's own log lines are let through, for when the gateway closed each batch.
        _deployment = await ProcessDeployment.Start(silos: 2, gateways: 2, gatewayEnvironment: new Dictionary<string, string>
        {
            ["Logging__LogLevel__Realtime.Gateway.Connections.GatewayDrain"] = "Debug",
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        });
        await Task.WhenAll(Symbols.Select(symbol => Infrastructure.Quotes.BackfillHistory(_deployment.Cluster, symbol)));
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_viewers.Select(v => v.DisposeAsync().AsTask()));
        await _deployment.DisposeAsync();
    }

    /// <summary>When one client was closed, when it tried the other gateway, and when that gateway welcomed it.</summary>
    private sealed record Move(TimeSpan Closed, WebSocketCloseStatus? Status, string? Reason, TimeSpan Attempted, TimeSpan Welcomed, int Retries);

    [Fact]
    public async Task Two_thousand_clients_of_a_stopping_gateway_reach_the_other_at_the_configured_rate_and_resume_their_charts()
    {
        var (draining, other) = (_deployment.Gateways[0], _deployment.Gateways[1]);
        var sessions = new List<string>();
        foreach (var chunk in Enumerable.Range(0, Clients).Chunk(100))
        {
            sessions.AddRange(await Task.WhenAll(chunk.Select(i => DjangoSessions.StoreLogin(Redis, $"drain-{i}"))));
        }
        _viewers.AddRange(sessions.Select((session, i) => new ChartViewer(session, Symbols[i % Symbols.Length], Indicators)));
        await Parallel.ForEachAsync(_viewers, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (viewer, _) =>
            await viewer.Open(session => TestSocket.Connect(draining.WebSocket(session))));
        await Eventually.True(() => _viewers.All(v => v.Chart.Snapshots > 0), "every client has its snapshot", TimeSpan.FromSeconds(120));

        // Two quotes a second per symbol, through the drain and after: 4,000 updates a second over all clients.
        using var feeding = new CancellationTokenSource();
        var feeder = Feed(feeding.Token);
        await Eventually.True(() => _viewers.All(v => v.Chart.Updates >= 2), "every client receives updates", TimeSpan.FromSeconds(60));

        var snapshotsBefore = _viewers.Sum(v => v.Chart.Snapshots);
        var terminated = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        var moves = _viewers.Select(v => MoveToOther(v, other, clock)).ToArray();
        var exit = draining.Exited.ContinueWith(_ => clock.Elapsed);
        await draining.SendTerminate();
        var all = await Task.WhenAll(moves).WaitAsync(TimeSpan.FromSeconds(180));
        var exited = await exit.WaitAsync(TimeSpan.FromSeconds(60));

        // Every client was told to go with 1001 and the window to reconnect in, and all of them inside the drain.
        Assert.All(all, m => Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, m.Status));
        Assert.All(all, m => Assert.Equal($"going away; reconnect within {Interval.TotalMilliseconds} ms", m.Reason));
        // When the gateway closed each batch, by its own clock from the start of its drain (its debug log), and
        // when the clients saw their close and tried the other gateway, by the test's.
        var batches = DrainBatches().Matches(draining.Output).Select(m => (Size: int.Parse(m.Groups[1].Value), At: TimeSpan.FromMilliseconds(long.Parse(m.Groups[2].Value)))).ToList();
        var closedAt = batches.SelectMany(b => Enumerable.Repeat(b.At, b.Size)).ToArray();
        var seen = all.Select(m => m.Closed).Order().ToArray();
        var arrivals = all.Select(m => m.Attempted).Order().ToArray();
        var busiestCloses = MostInOneSecond(closedAt);
        var busiestArrivals = MostInOneSecond(arrivals);
        var report = $"{Clients} clients: closed in {batches.Count} batches of {string.Join("/", batches.Select(b => b.Size).Distinct())} " +
            $"from {batches[0].At.TotalMilliseconds:F0} to {batches[^1].At.TotalMilliseconds:F0} ms into the drain, at most {busiestCloses} in any second " +
            $"(configured {RatePerSecond:F0}/s); the clients saw their close {seen[0].TotalSeconds:F2}-{seen[^1].TotalSeconds:F2} s after SIGTERM " +
            $"and at most {busiestArrivals} tried the other gateway in any second; all welcomed by {all.Max(m => m.Welcomed).TotalSeconds:F2} s " +
            $"({all.Sum(m => m.Retries)} handshakes retried); gateway exited at {exited.TotalSeconds:F2} s";
        output.WriteLine(report);
        Console.WriteLine($"rolling drain: {report}");

        // Every client closed, within the drain window.
        Assert.Equal(Clients, batches.Sum(b => b.Size));
        Assert.True(batches[^1].At < Window, $"the last batch was closed {batches[^1].At} into the {Window} drain");
        // The configured rate, not beaten: 100 at a time, 200 ms apart, unless a late batch (a loaded machine) had to
        // grow to close everybody within the window. Without batches all 2,000 would go in one instant.
        Assert.All(batches.Zip(batches.Skip(1)), pair => Assert.True(pair.Second.At - pair.First.At >= Interval - TimeSpan.FromMilliseconds(5), $"batches {pair.First.At} and {pair.Second.At}"));
        Assert.All(batches.Select((b, i) => (b.Size, b.At, i)), x => Assert.True(x.Size <= BatchSize || x.At > x.i * Interval + Interval / 2, $"batch {x.i}: {x.Size} at {x.At}, on time"));
        // The clients' arrivals follow: the configured rate, with a batch of slack for where a one-second window falls
        // among the batches and two for the test's own clients on a loaded machine.
        var bound = (int)RatePerSecond + 3 * BatchSize;
        Assert.True(busiestArrivals <= bound, $"{busiestArrivals} clients arrived within one second; bound {bound}");
        Assert.True(exited < await ShutdownTimeouts.Gateway(), $"the gateway exited {exited} after SIGTERM");
        Assert.Equal(0, draining.ExitCode);

        await feeding.CancelAsync();
        await feeder;
        await AssertEveryChartExact(other);
        // Each client resumed: its re-open was answered chart.resumed and the updates it missed (no snapshot), and
        // nothing arrived twice or after a gap (no violation).
        // (A handshake retried after its welcome came too late on a loaded machine counts as one more reconnect.)
        Assert.All(_viewers, v => Assert.True(v.Reconnects >= 1 && v.Chart.Resumes >= 1,
            $"{v.Reconnects} reconnects, {v.Chart.Resumes} resumed"));
        Assert.All(_viewers, v => Assert.Empty(v.Chart.Violations));
        // The silences that ended after SIGTERM: those the move caused.
        var silence = _viewers.Max(v => v.Chart.Gaps.Where(g => g.At > terminated).Select(g => g.Gap).DefaultIfEmpty(TimeSpan.Zero).Max());
        var pushedSnapshots = _viewers.Sum(v => v.Chart.Snapshots) - snapshotsBefore;
        var after = $"every client resumed its chart; longest silence of a client {silence.TotalMilliseconds:F0} ms; " +
            $"snapshots pushed unasked meanwhile: {pushedSnapshots} (before the drain: {snapshotsBefore - Clients})";
        output.WriteLine(after);
        Console.WriteLine($"rolling drain: {after}");
        // A resumed chart is answered chart.resumed and its missed updates, never a snapshot it did not ask for:
        // protocol 1.9 lists when a snapshot is pushed unasked, and a drain is not one of them. Should one come, the
        // silos' topic warnings say which subscriber a topic dropped.
        if (pushedSnapshots > 0)
        {
            foreach (var line in _deployment.Silos.SelectMany(s => s.Output.Split('\n')).Where(l => l.Contains("Topic ", StringComparison.Ordinal)).Take(40))
            {
                output.WriteLine(line);
                Console.WriteLine($"rolling drain: silo: {line}");
            }
        }
        Assert.Equal(0, pushedSnapshots);
    }

    /// <summary>What a client does when its gateway goes away with 1001: it waits a random moment within the window the reason names, then resumes on another gateway.</summary>
    private static async Task<Move> MoveToOther(ChartViewer viewer, ProductProcess other, Stopwatch clock)
    {
        await viewer.Closed;
        var closed = clock.Elapsed;
        var (status, reason) = (viewer.CloseStatus, viewer.CloseDescription);
        var window = ReconnectWindow().Match(reason ?? "") is { Success: true } m ? int.Parse(m.Groups[1].Value) : 1000;
        await Task.Delay(Random.Shared.Next(window));
        var attempted = clock.Elapsed;
        // A handshake that fails (a machine too loaded to answer within the socket's 15 s) is retried after a
        // backoff, as the browser client does; the test counts such retries.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await viewer.Open(session => TestSocket.Connect(other.WebSocket(session)));
                return new Move(closed, status, reason, attempted, clock.Elapsed, attempt);
            }
            catch (Exception e) when (attempt < 5 && e is WebSocketException or OperationCanceledException or TimeoutException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500 << attempt));
            }
        }
    }

    /// <summary>The most of <paramref name="times"/> (sorted) that fall within any one second.</summary>
    private static int MostInOneSecond(TimeSpan[] times)
    {
        var most = 0;
        for (int first = 0, last = 0; last < times.Length; last++)
        {
            while (times[last] - times[first] >= TimeSpan.FromSeconds(1))
            {
                first++;
            }
            most = Math.Max(most, last - first + 1);
        }
        return most;
    }

    private async Task Feed(CancellationToken stop)
    {
        var queue = new ServiceQueueClient(Redis.Connection, "drain-test");
        for (var n = 0; !stop.IsCancellationRequested && n < 600; n++)
        {
            var quotes = Symbols.Select(symbol => new { symbol, price = 150 + n % 13 * 0.5, volume = 1, time = Start + n * 500L }).ToArray();
            await queue.PushMany(_deployment.Cluster.Queue, "quote", quotes);
            foreach (var symbol in Symbols)
            {
                _pushed[symbol]++;
            }
            try
            {
                await Task.Delay(500, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>Waits until every client's chart equals a fresh static snapshot holding every quote pushed.</summary>
    private async Task AssertEveryChartExact(ProductProcess gateway)
    {
        var truths = new Dictionary<string, JsonElement>();
        var session = await DjangoSessions.StoreLogin(Redis, "drain-truth");
        await Eventually.True(async () =>
        {
            foreach (var symbol in Symbols)
            {
                await using var socket = await TestSocket.Connect(gateway.WebSocket(session));
                truths[symbol] = await ChartViewer.StaticSnapshot(socket, symbol, Indicators);
            }
            return truths.All(t => Volume(t.Value) == 30 * 10 + _pushed[t.Key]) && _viewers.All(v => v.Chart.DifferencesFrom(truths[v.Symbol]).Count == 0);
        }, "every client's chart equals a fresh snapshot holding every quote pushed", TimeSpan.FromSeconds(90));
        Assert.All(_viewers, v => Assert.Empty(v.Chart.Violations));
    }

    private static double Volume(JsonElement snapshot) =>
        snapshot.GetProperty("data").GetProperty("bars").EnumerateArray().Sum(b => b[5].GetDouble());

    [GeneratedRegex(@"Drain batch: (\d+) closed at (\d+) ms")]
    private static partial Regex DrainBatches();

    [GeneratedRegex(@"reconnect within (\d+) ms")]
    private static partial Regex ReconnectWindow();
}
