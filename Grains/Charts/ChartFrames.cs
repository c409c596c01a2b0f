using System.Collections.Immutable;
using System.Text.Json;
using Realtime.Connections;
using Realtime.Quotes;

namespace Realtime.Charts;

/// <summary>Writes the chart frames of docs/protocol.md 1.9 by hand: they are the hottest frames the server sends.</summary>
internal static class ChartFrames
{
    public const string Snapshot = "chart.snapshot";
    public const string Update = ChartUpdate.Type;
    public const string Resumed = "chart.resumed";
    public const string Closed = "chart.closed";

    /// <summary>The whole chart (its newest <paramref name="count"/> bars). <paramref name="chartId"/> is null when pushed unasked.</summary>
    /// <remarks>
    /// It carries the chart's conflation key without mergeable content: a slow connection's queue delivers it in order
    /// and never merges an update sent after it into one sent before it.
    /// </remarks>
    public static ServerFrame CreateSnapshot(ChartComputation chart, string epoch, long seq, bool dynamic, int count, string? chartId, string? idJson) =>
        ServerFrame.Encode(Snapshot, ConflationKey(chart.Spec.Key), idJson, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("chartId", chartId);
            writer.WriteString("chart", chart.Spec.Key);
            writer.WriteString("symbol", chart.Spec.Symbol);
            writer.WriteString("period", chart.Spec.Period);
            writer.WriteString("mode", dynamic ? "dynamic" : "static");
            writer.WriteString("epoch", epoch);
            writer.WriteNumber("seq", seq);
            var first = Math.Max(0, chart.Bars.Count - count);
            WriteBars(writer, chart, first);
            writer.WriteStartArray("indicators");
            for (var k = 0; k < chart.Indicators.Count; k++)
            {
                writer.WriteStartObject();
                writer.WriteString("name", chart.Indicators[k].Name);
                writer.WriteStartArray("outputs");
                foreach (var output in chart.Indicators[k].Outputs)
                {
                    writer.WriteStringValue(output);
                }
                writer.WriteEndArray();
                writer.WriteStartArray("values");
                for (var i = first; i < chart.Bars.Count; i++)
                {
                    ChartJson.WriteOutputs(writer, chart.OutputsAt(i)[k]);
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }) with { Epoch = epoch };

    /// <summary>
    /// The update numbered <paramref name="seq"/>: <paramref name="points"/> changed (or became final) since the
    /// previous one; <paramref name="revision"/> when they change a bar sent as final before.
    /// </summary>
    public static ServerFrame CreateUpdate(ChartSpec spec, string epoch, long seq, ImmutableArray<ChartPoint> points, bool revision) =>
        new ChartUpdate(spec.Key, epoch, seq, seq - 1, points, revision).Encode(ConflationKey(spec.Key));

    /// <summary>Carries the chart's conflation key without mergeable content: no update after it merges into one before it.</summary>
    public static ServerFrame CreateResumed(ChartSpec spec, string chartId, string epoch, long seq, string? idJson) =>
        ServerFrame.Create(Resumed, new { chartId, chart = spec.Key, epoch, seq }, idJson, ConflationKey(spec.Key)) with { Epoch = epoch };

    public static string ConflationKey(string chartKey) => "chart:" + chartKey;

    private static void WriteBars(Utf8JsonWriter writer, ChartComputation chart, int first)
    {
        writer.WriteStartArray("bars");
        for (var i = first; i < chart.Bars.Count; i++)
        {
            ChartJson.WriteBar(writer, chart.Bars[i], chart.IsFinal(i));
        }
        writer.WriteEndArray();
    }
}
