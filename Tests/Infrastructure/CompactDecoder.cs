using System.Text.Json;
using System.Text.Json.Nodes;

namespace Realtime.Tests.Infrastructure;

/// <summary>
/// Reads the compact form (docs/protocol.md 1.13) as a third party would from the page alone, and hands on each
/// frame in the JSON form's shape, so every check written for the JSON form (<see cref="LiveChart"/>,
/// <see cref="TickerBoard"/>) checks the compact form too. A compact update is rebuilt with the chart key (or
/// symbol) and epoch its handle was announced with.
/// </summary>
public sealed class CompactDecoder
{
    private readonly Dictionary<long, Subscription> _handles = [];

    private sealed record Subscription(string Kind, string Name, string Epoch);

    /// <summary>Compact updates read, and their bytes.</summary>
    public int Updates { get; private set; }

    public long UpdateBytes { get; private set; }

    /// <summary>Problems a client could not get past (an update on a handle never announced).</summary>
    public List<string> Violations { get; } = [];

    public JsonElement? Decode(ReadOnlySpan<byte> message)
    {
        var root = JsonNode.Parse(message)!;
        if (root is JsonObject frame)
        {
            Announce(frame);
            return JsonSerializer.SerializeToElement(frame);
        }
        Updates++;
        UpdateBytes += message.Length;
        var update = root.AsArray();
        var handle = update[0]!.GetValue<long>();
        if (!_handles.TryGetValue(handle, out var subscription))
        {
            Violations.Add($"update on handle {handle}, never announced: {root.ToJsonString()}");
            return null;
        }
        var seq = update[1]!.GetValue<long>();
        return subscription.Kind == "chart" ? Chart(update, subscription, seq) : Ticker(update, subscription, seq);
    }

    private void Announce(JsonObject frame)
    {
        var type = frame["type"]!.GetValue<string>();
        if (frame["data"] is not JsonObject data || data["h"] is not { } h)
        {
            return;
        }
        var handle = h.GetValue<long>();
        var epoch = data["epoch"]!.GetValue<string>();
        switch (type)
        {
            case "chart.snapshot":
            case "chart.resumed":
                _handles[handle] = new("chart", data["chart"]!.GetValue<string>(), epoch);
                break;
            case "ticker.snapshot":
            case "ticker.resumed":
                _handles[handle] = new("ticker", data["symbol"]!.GetValue<string>(), epoch);
                break;
        }
    }

    private static JsonElement Chart(JsonArray update, Subscription subscription, long seq)
    {
        var bars = new JsonArray();
        var rows = update[2]!.AsArray().Select(r => r!.AsArray()).ToArray();
        // A row's members after the bar's seven are the chart's indicators, in order: every row has all of them.
        var count = rows.Length == 0 ? 0 : rows[0].Count - 7;
        var indicators = new JsonArray(Enumerable.Range(0, count).Select(_ => (JsonNode)new JsonArray()).ToArray());
        foreach (var row in rows)
        {
            bars.Add(new JsonArray(row.Take(7).Select(v => v!.DeepClone()).ToArray()));
            for (var k = 0; k < count; k++)
            {
                // One output alone is the bare number; everything else is as in the JSON form.
                var value = row[7 + k];
                indicators[k]!.AsArray().Add(value is JsonValue number && number.GetValueKind() == JsonValueKind.Number
                    ? new JsonArray(number.DeepClone())
                    : value?.DeepClone());
            }
        }
        var data = new JsonObject
        {
            ["chart"] = subscription.Name,
            ["epoch"] = subscription.Epoch,
            ["seq"] = seq,
            ["prev"] = update.Count > 3 ? update[3]!.GetValue<long>() : seq - 1,
            ["bars"] = bars,
            ["indicators"] = indicators,
        };
        if (update.Count > 4 && update[4]!.GetValue<int>() == 1)
        {
            data["revision"] = true;
        }
        return JsonSerializer.SerializeToElement(new JsonObject { ["type"] = "chart.update", ["data"] = data });
    }

    private static JsonElement Ticker(JsonArray update, Subscription subscription, long seq) =>
        JsonSerializer.SerializeToElement(new JsonObject
        {
            ["type"] = "ticker.update",
            ["data"] = new JsonObject
            {
                ["symbol"] = subscription.Name,
                ["epoch"] = subscription.Epoch,
                ["seq"] = seq,
                ["price"] = update[2]!.DeepClone(),
                ["change"] = update[3]?.DeepClone(),
                ["prevClose"] = update[4]?.DeepClone(),
                ["volume"] = update[5]!.DeepClone(),
                ["time"] = update[6]!.DeepClone(),
                ["prev"] = update.Count > 7 ? update[7]!.GetValue<long>() : seq - 1,
            },
        });
}
