using System.Buffers;
using System.Text;
using System.Text.Json;
using Realtime.Connections;
using Realtime.Quotes;
using Realtime.Watchlist;

namespace Realtime.Gateway.Compact;

/// <summary>
/// Writes the compact frames of docs/protocol.md 1.13: an update is a bare JSON array led by its subscription's
/// handle, and the frames that start a subscription are the JSON frames with the handle added.
/// </summary>
internal static class CompactEncoder
{
    // The bytes every frame starts with before its type (ServerFrame.Encode writes type, then data).
    private static readonly byte[] TypePrefix = "{\"type\":"u8.ToArray();
    private static readonly byte[] DataPrefix = ",\"data\":{"u8.ToArray();

    /// <summary>Whether <paramref name="update"/> has a compact form; others are sent as they are.</summary>
    public static bool Handles(MergeableContent update) => update is ChartUpdate or TickerUpdate;

    /// <summary>The compact frame of one update (or of several merged into one).</summary>
    public static ServerFrame Encode(CompactContent content, string? conflationKey) => content.Update switch
    {
        ChartUpdate chart => new ServerFrame(ChartUpdate.Type, Chart(chart, content.Handle), conflationKey, content, chart.Epoch),
        TickerUpdate ticker => new ServerFrame(TickerUpdate.Type, Ticker(ticker, content.Handle), conflationKey, content, ticker.Epoch),
        // Never reached: only contents Handles accepts are wrapped.
        var other => other.Encode(conflationKey),
    };

    /// <summary>
    /// <c>[handle, seq, rows]</c>, then <c>prev</c> only when it is not <c>seq - 1</c> or when a revision flag
    /// follows it; each row is <c>[time, open, high, low, close, volume, final, indicator...]</c>.
    /// </summary>
    public static byte[] Chart(ChartUpdate update, int handle) => Write(writer =>
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(handle);
        writer.WriteNumberValue(update.Seq);
        writer.WriteStartArray();
        foreach (var point in update.Points)
        {
            writer.WriteStartArray();
            ChartJson.WriteBarValues(writer, point.Bar, point.Final);
            foreach (var outputs in point.Outputs)
            {
                WriteIndicator(writer, outputs);
            }
            writer.WriteEndArray();
        }
        writer.WriteEndArray();
        WriteTail(writer, update.Seq, update.Prev, update.Revision);
        writer.WriteEndArray();
    });

    /// <summary><c>[handle, seq, price, change, prevClose, volume, time]</c>, then <c>prev</c> only when it is not <c>seq - 1</c>.</summary>
    public static byte[] Ticker(TickerUpdate update, int handle) => Write(writer =>
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(handle);
        writer.WriteNumberValue(update.Seq);
        writer.WriteNumberValue(update.Line.Price);
        WriteNullable(writer, update.Line.Change);
        WriteNullable(writer, update.Line.PreviousClose);
        writer.WriteNumberValue(update.Line.Volume);
        writer.WriteNumberValue(update.Line.Time);
        WriteTail(writer, update.Seq, update.Prev, revision: false);
        writer.WriteEndArray();
    });

    /// <summary>
    /// A snapshot or resumed frame with <c>"h": handle</c> as the first member of its <c>data</c>; the rest is the
    /// JSON frame byte for byte. Null when the frame is not shaped <c>{"type": ..., "data": {...</c>.
    /// </summary>
    public static byte[]? WithHandle(ServerFrame frame, int handle)
    {
        var bytes = frame.Utf8Json;
        var typeEnd = TypePrefix.Length + Encoding.UTF8.GetByteCount(frame.Type) + 2;
        if (!bytes.AsSpan().StartsWith(TypePrefix) || bytes.Length <= typeEnd + DataPrefix.Length
            || !bytes.AsSpan(typeEnd).StartsWith(DataPrefix))
        {
            return null;
        }
        var dataStart = typeEnd + DataPrefix.Length;
        var member = Encoding.UTF8.GetBytes($"\"{CompactProtocol.HandleProperty}\":{handle}");
        var empty = bytes[dataStart] == (byte)'}';
        var result = new byte[bytes.Length + member.Length + (empty ? 0 : 1)];
        bytes.AsSpan(0, dataStart).CopyTo(result);
        member.CopyTo(result, dataStart);
        var rest = dataStart + member.Length;
        if (!empty)
        {
            result[rest++] = (byte)',';
        }
        bytes.AsSpan(dataStart).CopyTo(result.AsSpan(rest));
        return result;
    }

    /// <summary>As in the JSON form, except that one output alone is the bare number (<c>106.7</c>, not <c>[106.7]</c>).</summary>
    private static void WriteIndicator(Utf8JsonWriter writer, double[]? outputs)
    {
        if (outputs is [var single] && double.IsFinite(single))
        {
            writer.WriteNumberValue(single);
        }
        else
        {
            ChartJson.WriteOutputs(writer, outputs);
        }
    }

    private static void WriteTail(Utf8JsonWriter writer, long seq, long prev, bool revision)
    {
        if (prev != seq - 1 || revision)
        {
            writer.WriteNumberValue(prev);
        }
        if (revision)
        {
            writer.WriteNumberValue(1);
        }
    }

    private static void WriteNullable(Utf8JsonWriter writer, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }
        return buffer.WrittenSpan.ToArray();
    }
}
