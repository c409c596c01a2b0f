using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Realtime.Connections;
using Realtime.Gateway.Compact;
using Realtime.Gateway.Connections;
using Realtime.Quotes;
using Realtime.Tests.Infrastructure;
using Realtime.Watchlist;

namespace Realtime.Tests.Gateway;

/// <summary>
/// The compact form's frames (docs/protocol.md 1.13) as the gateway encodes them: an update in at most 100 bytes, read
/// back by a client to exactly what the JSON form says, merged for a slow reader without losing a bar, and encoded
/// once per gateway for every compact connection of a topic.
/// </summary>
public sealed class CompactEncodingTests
{
    private const string Chart = "AAPL|1m|SMA(close,20)";
    private const string Epoch = "9f2c4e1b7a0d4c3e8f6a5b2c1d0e9f8a";
    private const long Minute = 1767225660000;

    // An SMA(close,20) as a chart computes it, with all seventeen digits a double needs (the worst case for bytes).
    private const double Sma = 187.31452380952382;

    /// <summary>A typical update: the forming bar after a quote, with SMA(close,20) at full double precision.</summary>
    private static ChartUpdate Typical(long seq = 58) =>
        new(Chart, Epoch, seq, seq - 1, [new ChartPoint(new Bar(Minute, 187.42, 187.61, 187.18, 187.55, 31_250), [[Sma]])]);

    [Fact]
    public void A_typical_chart_update_is_at_most_100_bytes_compact_against_about_180_in_the_JSON_form()
    {
        var update = Typical();
        var json = update.Encode(ChartFrames(Chart)).Utf8Json;
        var compact = CompactEncoder.Chart(update, 12);

        Assert.Equal($"[12,58,[[1767225660000,187.42,187.61,187.18,187.55,31250,0,{Sma:R}]]]", Encoding.UTF8.GetString(compact));
        Assert.True(Sma.ToString("R").Length >= 17, Sma.ToString("R"));
        Assert.True(compact.Length <= 100, $"{compact.Length} bytes");
        Assert.True(json.Length >= 170, $"{json.Length} bytes in the JSON form");
    }

    [Fact]
    public void A_compact_update_reads_back_to_exactly_what_the_JSON_form_says()
    {
        var closing = new ChartUpdate(Chart, Epoch, 60, 57,
        [
            new ChartPoint(new Bar(Minute, 187.42, 187.61, 187.18, 187.55, 31_250), [[187.3, double.NaN]], Final: true),
            new ChartPoint(new Bar(Minute + 60_000, 187.5, 187.5, 187.5, 187.5, 100), [null]),
            new ChartPoint(new Bar(Minute + 120_000, 187, 187, 187, 187, 1), [[double.NaN]]),
        ], Revision: true);
        var decoder = new CompactDecoder();
        var snapshot = ServerFrame.Encode("chart.snapshot", "chart:" + Chart, "\"c1\"", w =>
            JsonSerializer.Serialize(w, new { chartId = "c1", chart = Chart, epoch = Epoch, seq = 57, bars = Array.Empty<object>(),
                indicators = new[] { new { name = "X", outputs = new[] { "a", "b" }, values = Array.Empty<object>() } } }));
        Assert.NotNull(decoder.Decode(CompactEncoder.WithHandle(snapshot, 7)));

        var read = decoder.Decode(CompactEncoder.Chart(closing, 7))!.Value;

        Assert.Equal(Encoding.UTF8.GetString(closing.Encode(null).Utf8Json), read.GetRawText(), new RevisionLast());
        Assert.Empty(decoder.Violations);
    }

    [Fact]
    public void The_handle_goes_first_in_data_and_the_rest_of_the_frame_is_unchanged()
    {
        var resumed = ServerFrame.Create("chart.resumed", new { chartId = "c1", chart = Chart, epoch = Epoch, seq = 3 }, "7");
        var withHandle = Encoding.UTF8.GetString(CompactEncoder.WithHandle(resumed, 42)!);
        Assert.Equal(Encoding.UTF8.GetString(resumed.Utf8Json).Replace("\"data\":{", "\"data\":{\"h\":42,"), withHandle);
        var empty = ServerFrame.Create("x", new { });
        Assert.Equal("{\"type\":\"x\",\"data\":{\"h\":1}}", Encoding.UTF8.GetString(CompactEncoder.WithHandle(empty, 1)!));
    }

    [Fact]
    public void Prev_is_written_only_when_it_is_not_seq_minus_one()
    {
        var line = new TickerLine("AAPL", 187.42, 185.49, 51_234, 1767263412000);
        Assert.Equal("[3,12,187.42,1.9299999999999784,185.49,51234,1767263412000]",
            Encoding.UTF8.GetString(CompactEncoder.Ticker(new TickerUpdate(line, Epoch, 12, 11), 3)));
        Assert.Equal("[3,12,187.42,null,null,51234,1767263412000,9]",
            Encoding.UTF8.GetString(CompactEncoder.Ticker(new TickerUpdate(line with { PreviousClose = null }, Epoch, 12, 9), 3)));
        Assert.EndsWith("]],55]", Encoding.UTF8.GetString(CompactEncoder.Chart(Typical() with { Prev = 55 }, 1)));
        Assert.EndsWith("]],57,1]", Encoding.UTF8.GetString(CompactEncoder.Chart(Typical() with { Revision = true }, 1)));
    }

    [Fact]
    public void A_slow_readers_compact_updates_merge_into_one_with_every_bar_and_the_oldest_prev()
    {
        var clock = new FakeTimeProvider();
        var queue = new OutgoingQueue(16, clock);
        var topic = new TopicHandle();
        ServerFrame Update(long seq, long minute) =>
            topic.Compact(new ChartUpdate(Chart, Epoch, seq, seq - 1, [new ChartPoint(new Bar(minute, seq, seq, seq, seq, 1), [[seq]])]).Encode(ChartFrames(Chart)));

        queue.TryEnqueue(Update(10, Minute), out _);
        clock.Advance(OutgoingQueue.ConflateAfter);
        queue.TryEnqueue(Update(11, Minute), out _);
        queue.TryEnqueue(Update(12, Minute + 60_000), out _);
        queue.TryEnqueue(Update(13, Minute + 60_000), out _);

        // Everything folds into update 10, still waiting: one frame, every bar, update 10's prev.
        Assert.True(queue.TryDequeue(out var merged));
        Assert.Equal($"[{topic.Value},13,[[{Minute},11,11,11,11,1,0,11],[{Minute + 60_000},13,13,13,13,1,0,13]],9]", Encoding.UTF8.GetString(merged.Utf8Json));
        Assert.False(queue.TryDequeue(out _));
        Assert.Equal(3, queue.Conflated);
    }

    [Fact]
    public async Task A_published_frame_reaches_every_compact_connection_of_the_topic_under_its_handle_and_others_in_json()
    {
        var table = new TopicSubscriptions();
        var sockets = Enumerable.Range(0, 3).Select(_ => new MemoryStream()).ToArray();
        var connections = sockets.Select((socket, i) => new ClientConnection(
            System.Net.WebSockets.WebSocket.CreateFromStream(socket, new System.Net.WebSockets.WebSocketCreationOptions { IsServer = true }),
            "7", $"c{i}", new Realtime.Gateway.GatewayOptions(), TimeProvider.System, new GatewayMetrics(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, compact: i < 2)).ToArray();
        foreach (var connection in connections)
        {
            table.Add(ChartFrames(Chart), connection, Epoch);
        }
        var handle = table.Find(ChartFrames(Chart), "c0")!.Topic!.Value;

        Assert.True(table.Publish(ChartFrames(Chart), [Typical().Encode(ChartFrames(Chart))]));

        var received = await Task.WhenAll(sockets.Select(FirstMessage));
        Assert.StartsWith($"[{handle},58,", received[0]);
        Assert.Equal(received[0], received[1]);
        Assert.StartsWith("{\"type\":\"chart.update\"", received[2]);
        Assert.NotEqual(handle, new TopicHandle().Value);
        // Frames that are neither updates nor the start of a subscription are sent as they are.
        var notice = ServerFrame.Create("notice", new { text = "hi" });
        Assert.Same(notice, new TopicHandle().Compact(notice));
    }

    /// <summary>The first message a server WebSocket wrote into <paramref name="socket"/>, once it has.</summary>
    private static async Task<string> FirstMessage(MemoryStream socket)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var bytes = socket.ToArray();
            // An unmasked server frame: FIN and opcode, then a 7-bit length, or 126 and a 16-bit one (all are shorter than 64 KiB).
            if (bytes.Length >= 4)
            {
                var (length, start) = (bytes[1] & 0x7f) == 126 ? (bytes[2] << 8 | bytes[3], 4) : (bytes[1] & 0x7f, 2);
                if (bytes.Length >= start + length)
                {
                    return Encoding.UTF8.GetString(bytes, start, length);
                }
            }
            Assert.True(DateTime.UtcNow < deadline, "nothing was sent");
            await Task.Delay(10);
        }
    }

    private static string ChartFrames(string chart) => "chart:" + chart;

    /// <summary>Compares two frames' JSON ignoring where <c>revision</c> stands among the members.</summary>
    private sealed class RevisionLast : IEqualityComparer<string>
    {
        public bool Equals(string? x, string? y) => Normal(x!) == Normal(y!);

        public int GetHashCode(string obj) => Normal(obj).GetHashCode();

        private static string Normal(string json)
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(json)!;
            var data = node["data"]!.AsObject();
            var members = data.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => (m.Key, m.Value?.ToJsonString())).ToList();
            return node["type"] + string.Join("|", members);
        }
    }
}
