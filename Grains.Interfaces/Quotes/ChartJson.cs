using System.Text.Json;

namespace Realtime.Quotes;

/// <summary>The JSON spelling of bars and indicator outputs in chart frames (docs/protocol.md 1.9).</summary>
public static class ChartJson
{
    /// <summary><c>[time, open, high, low, close, volume, final]</c>, <c>final</c> 1 or 0.</summary>
    public static void WriteBar(Utf8JsonWriter writer, Bar bar, bool final)
    {
        writer.WriteStartArray();
        WriteBarValues(writer, bar, final);
        writer.WriteEndArray();
    }

    /// <summary>The seven values of <see cref="WriteBar"/> without the array around them, for rows that go on after them.</summary>
    public static void WriteBarValues(Utf8JsonWriter writer, Bar bar, bool final)
    {
        writer.WriteNumberValue(bar.Time);
        writer.WriteNumberValue(bar.Open);
        writer.WriteNumberValue(bar.High);
        writer.WriteNumberValue(bar.Low);
        writer.WriteNumberValue(bar.Close);
        writer.WriteNumberValue(bar.Volume);
        // A number rather than true/false: one byte, and the bar stays an array of numbers.
        writer.WriteNumberValue(final ? 1 : 0);
    }

    /// <summary>One indicator's outputs at one bar: an array of numbers (null where not finite), or null in its lookback.</summary>
    public static void WriteOutputs(Utf8JsonWriter writer, double[]? outputs)
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
