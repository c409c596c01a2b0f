using System.Net.WebSockets;
using System.Text.Json;
using Realtime.Quotes;
using Realtime.Services;
using Realtime.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Realtime.Tests.LiveCharts;

/// <summary>
/// A client that stops reading while thousands of updates arrive must not be owed them all when it reads again:
/// the gateway keeps what waits for it where conflation reaches it (a small kernel send buffer), so it gets at most
/// a little stale data and then the latest state, exact. A client that keeps reading meanwhile misses nothing.
/// </summary>
public sealed class PausedReaderTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Symbol = "PAUSE";
    private const int Quotes = 3_000;
    // What "about 64 KiB of stale frames" allows: the gateway's capped send buffer and the client's own receive window.
    private const int StaleBytesBound = 96 * 1024;
    private const int ClientReceiveBuffer = 16 * 1024;
    private static readonly string[] Indicators = ["MA(5)", "MACD", "BOLL"];

    private readonly RealtimeCluster _cluster = new(RedisServer.Shared);
    private Microsoft.AspNetCore.Builder.WebApplication _gateway = null!;

    public async Task InitializeAsync()
    {
        await _cluster.StartSilo();
        _gateway = await _cluster.StartGateway();
        await Infrastructure.Quotes.BackfillHistory(_cluster, Symbol);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_paused_reader_gets_little_stale_data_then_the_latest_state_while_a_reader_that_keeps_up_gets_every_update(bool compact)
    {
        // Both readers in the compact form (docs/protocol.md 1.13) or both in the JSON form: the merge is the same.
        var subProtocols = compact ? new[] { Realtime.Gateway.Compact.CompactProtocol.Name } : [];
        var keepingUp = new ChartViewer(await DjangoSessions.Store(_cluster.Redis, "signed-plain"), Symbol, Indicators);
        await using var _ = keepingUp;
        await keepingUp.Open(session => TestSocket.Connect(RealtimeCluster.WebSocketUri(_gateway, session), null, null, subProtocols));

        using var paused = await ConnectWithSmallReceiveBuffer(RealtimeCluster.WebSocketUri(_gateway, await DjangoSessions.Store(_cluster.Redis, "signed-small")), subProtocols);
        var decoder = compact ? new CompactDecoder() : null;
        var pausedChart = new LiveChart();
        var buffer = new byte[4 << 20];
        await Send(paused, new { type = "mychart", id = "p", data = new { action = "open", chartId = "p", symbol = Symbol, period = "1m", indicators = Indicators, count = 1000 } });
        while (pausedChart.Snapshots == 0)
        {
            pausedChart.Apply(await Receive(paused, buffer, decoder));
        }
        await Eventually.True(() => keepingUp.Chart.Snapshots == 1, "the other reader has its snapshot");

        // The paused client reads nothing from here on, while quotes arrive one by one.
        var start = Infrastructure.Quotes.T0 + 30 * 60_000L;
        var queue = new ServiceQueueClient(_cluster.Redis.Connection, "tests");
        using (var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(1)))
        {
            for (var i = 0; i < Quotes; i++)
            {
                await queue.Push(_cluster.Queue, "quote", new { symbol = Symbol, price = 130 + i % 11 * 0.5, volume = 1, time = start + i * 1_000L });
                await pace.WaitForNextTickAsync();
            }
        }
        var lastBar = start + (Quotes - 1) * 1_000L / 60_000 * 60_000;
        await Eventually.True(() => keepingUp.Chart.Points.TryGetValue(lastBar, out var p) && p.Bar[5] == (Quotes - 1) % 60 + 1, "the reader that keeps up has the last quote", TimeSpan.FromSeconds(60));
        output.WriteLine($"the reader that kept up got {keepingUp.Chart.Updates} updates for {Quotes} quotes");
        Assert.True(keepingUp.Chart.Updates >= Quotes / 3, $"only {keepingUp.Chart.Updates} updates: the quotes came too fast to test a paused reader");

        await using var truthSocket = await TestSocket.Connect(RealtimeCluster.WebSocketUri(_gateway, await DjangoSessions.Store(_cluster.Redis, "legacy-pre-3.1")));
        var truth = await ChartViewer.StaticSnapshot(truthSocket, Symbol, Indicators);

        // Reading again: everything before the frame that makes the chart exact was stale.
        var staleBytes = 0L;
        var frames = 0;
        while (pausedChart.DifferencesFrom(truth).Count > 0)
        {
            var (frame, bytes) = await ReceiveCounted(paused, buffer, decoder);
            pausedChart.Apply(frame);
            frames++;
            staleBytes += bytes;
        }
        output.WriteLine($"the paused reader got {frames} frames, {staleBytes} bytes, before it was exact");
        Assert.Empty(pausedChart.Violations);
        Assert.Empty(decoder?.Violations ?? []);
        Assert.Empty(keepingUp.Chart.Violations);
        Assert.Empty(keepingUp.Chart.DifferencesFrom(truth));
        Assert.True(staleBytes < StaleBytesBound, $"{staleBytes} bytes of stale frames in {frames} frames");
    }

    /// <summary>
    /// A client whose own kernel holds little of what it has not read (a browser's would hold what its receive window
    /// allows, which is the client's business): what it then gets stale is what the gateway let through.
    /// </summary>
    private static async Task<ClientWebSocket> ConnectWithSmallReceiveBuffer(Uri uri, string[] subProtocols)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { ReceiveBufferSize = ClientReceiveBuffer };
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            },
        };
        var client = new ClientWebSocket();
        foreach (var subProtocol in subProtocols)
        {
            client.Options.AddSubProtocol(subProtocol);
        }
        await client.ConnectAsync(uri, new HttpMessageInvoker(handler), CancellationToken.None);
        return client;
    }

    private static Task Send(ClientWebSocket socket, object frame) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(frame), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<JsonElement> Receive(ClientWebSocket socket, byte[] buffer, CompactDecoder? decoder) =>
        (await ReceiveCounted(socket, buffer, decoder)).Frame;

    /// <summary>The next frame (in the JSON form's shape, read through <paramref name="decoder"/> on a compact socket) and its bytes on the wire.</summary>
    private static async Task<(JsonElement Frame, int Bytes)> ReceiveCounted(ClientWebSocket socket, byte[] buffer, CompactDecoder? decoder)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var count = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(count), timeout.Token);
            count += result.Count;
        }
        while (!result.EndOfMessage);
        var frame = decoder is null ? JsonDocument.Parse(buffer.AsMemory(0, count)).RootElement.Clone() : decoder.Decode(buffer.AsSpan(0, count));
        return (frame ?? throw new InvalidOperationException("an update on a handle never announced"), count);
    }
}
