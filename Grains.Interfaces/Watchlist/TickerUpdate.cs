using System.Text.Json;
using Realtime.Connections;

namespace Realtime.Watchlist;

/// <summary>
/// A <c>ticker.update</c>: the whole line of one symbol, numbered <see cref="Seq"/> in <see cref="Epoch"/>. Each update
/// says everything, so a slow connection keeps only the newest of a symbol: merging two keeps the newer line and the
/// older <see cref="Prev"/>.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("realtime.TickerUpdate")]
public sealed record TickerUpdate(
    [property: Id(0)] TickerLine Line,
    [property: Id(1)] string Epoch,
    [property: Id(2)] long Seq,
    [property: Id(3)] long Prev) : MergeableContent
{
    public const string Type = "ticker.update";

    public override MergeableContent Merge(MergeableContent newer) =>
        newer is TickerUpdate update && update.Epoch == Epoch && update.Line.Symbol == Line.Symbol
            ? update with { Prev = Math.Min(Prev, update.Prev) }
            : newer;

    public override ServerFrame Encode(string? conflationKey) =>
        ServerFrame.Encode(Type, conflationKey, null, writer =>
        {
            writer.WriteStartObject();
            WriteLine(writer, Line, Epoch, Seq);
            writer.WriteNumber("prev", Prev);
            writer.WriteEndObject();
        }) with { Mergeable = this, Epoch = Epoch };

    /// <summary>The members a snapshot and an update share: <c>symbol, epoch, seq, price, change, prevClose, volume, time</c>.</summary>
    public static void WriteLine(Utf8JsonWriter writer, TickerLine line, string epoch, long seq)
    {
        writer.WriteString("symbol", line.Symbol);
        writer.WriteString("epoch", epoch);
        writer.WriteNumber("seq", seq);
        writer.WriteNumber("price", line.Price);
        WriteNullable(writer, "change", line.Change);
        WriteNullable(writer, "prevClose", line.PreviousClose);
        writer.WriteNumber("volume", line.Volume);
        writer.WriteNumber("time", line.Time);
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
