using Realtime.Connections;

namespace Realtime.Watchlist;

/// <summary>The watchlist frames of docs/protocol.md 1.10.</summary>
internal static class TickerFrames
{
    public const string Snapshot = "ticker.snapshot";
    public const string Resumed = "ticker.resumed";
    public const string Unsubscribed = "ticker.unsubscribed";

    /// <summary>The symbol's whole line; a barrier for merging, and the start of <paramref name="epoch"/> for its receivers.</summary>
    public static ServerFrame CreateSnapshot(TickerLine line, string epoch, long seq, string? idJson) =>
        ServerFrame.Encode(Snapshot, ConflationKey(line.Symbol), idJson, writer =>
        {
            writer.WriteStartObject();
            TickerUpdate.WriteLine(writer, line, epoch, seq);
            writer.WriteEndObject();
        }) with { Epoch = epoch };

    public static ServerFrame CreateUpdate(TickerLine line, string epoch, long seq) =>
        new TickerUpdate(line, epoch, seq, seq - 1).Encode(ConflationKey(line.Symbol));

    /// <summary>The subscriber's line is current as of <paramref name="seq"/>; the updates after it follow.</summary>
    public static ServerFrame CreateResumed(string symbol, string epoch, long seq, string? idJson) =>
        ServerFrame.Create(Resumed, new { symbol, epoch, seq }, idJson, ConflationKey(symbol)) with { Epoch = epoch };

    /// <summary>Each symbol is conflated on its own: a busy symbol never hides a quiet one's line.</summary>
    public static string ConflationKey(string symbol) => "ticker:" + symbol;
}
