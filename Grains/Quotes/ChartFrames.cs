using System.Text.Json;
using Realtime.Connections;

namespace Realtime.Quotes;

/// <summary>Writes the chart frames of docs/protocol.md 1.9 by hand: they are the hottest frames the server sends.</summary>
internal static class ChartFrames
{
    public const string Snapshot = "chart.snapshot";
    public const string Update = "chart.update";
    public const string Resumed = "chart.resumed";
    public const string Closed = "chart.closed";

    /// <summary>The whole chart (its newest <paramref name="count"/> bars). <paramref name="chartId"/> is null when pushed unasked.</summary>
    public static ServerFrame CreateSnapshot(ChartComputation chart, string epoch, long seq, bool dynamic, int count, string? chartId, string? idJson) =>
        ServerFrame.Encode(Snapshot, null, idJson, writer =>
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
                    WriteOutputs(writer, chart.OutputsAt(i)[k]);
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        });

    /// <summary>The last two bars and their indicator outputs; conflated per chart in slow clients' queues.</summary>
    public static ServerFrame CreateUpdate(ChartComputation chart, string epoch, long seq) =>
        ServerFrame.Encode(Update, ConflationKey(chart.Spec.Key), null, writer =>
        {
            var first = Math.Max(0, chart.Bars.Count - 2);
            writer.WriteStartObject();
            writer.WriteString("chart", chart.Spec.Key);
            writer.WriteString("epoch", epoch);
            writer.WriteNumber("seq", seq);
            WriteBars(writer, chart, first);
            writer.WriteStartArray("indicators");
            for (var k = 0; k < chart.Indicators.Count; k++)
            {
                writer.WriteStartArray();
                for (var i = first; i < chart.Bars.Count; i++)
                {
                    WriteOutputs(writer, chart.OutputsAt(i)[k]);
                }
                writer.WriteEndArray();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        });

    public static ServerFrame CreateResumed(ChartSpec spec, string chartId, string epoch, long seq, string? idJson) =>
        ServerFrame.Create(Resumed, new { chartId, chart = spec.Key, epoch, seq }, idJson);

    public static string ConflationKey(string chartKey) => "chart:" + chartKey;

    private static void WriteBars(Utf8JsonWriter writer, ChartComputation chart, int first)
    {
        writer.WriteStartArray("bars");
        for (var i = first; i < chart.Bars.Count; i++)
        {
            WriteBar(writer, chart.Bars[i]);
        }
        writer.WriteEndArray();
    }

    private static void WriteBar(Utf8JsonWriter writer, Bar bar)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(bar.Time);
        writer.WriteNumberValue(bar.Open);
        writer.WriteNumberValue(bar.High);
        writer.WriteNumberValue(bar.Low);
        writer.WriteNumberValue(bar.Close);
        writer.WriteNumberValue(bar.Volume);
        writer.WriteEndArray();
    }

    private static void WriteOutputs(Utf8JsonWriter writer, double[]? outputs)
    {
        if (outputs is null)
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteStartArray();
        foreach (var value in outputs)
        {
            if (double.IsFinite(value))
            {
                writer.WriteNumberValue(value);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
        writer.WriteEndArray();
    }
}
