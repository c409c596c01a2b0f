using System.Collections.Immutable;
using Realtime.Connections;

namespace Realtime.Quotes;

/// <summary>
/// A <c>chart.update</c>: every bar that changed since the update numbered <see cref="Prev"/>, oldest first, with its
/// indicator outputs. A client holding <see cref="Prev"/> (or anything up to <see cref="Seq"/>) upserts the bars by
/// time and holds <see cref="Seq"/>. Two updates merge into one that still carries every changed bar, which is how a
/// slow connection is conflated without ever missing a bar. <see cref="Revision"/>: it changes a bar the chart had
/// already sent as final (a late quote, a repair), so a client can tell a correction from a forming bar.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("realtime.ChartUpdate")]
public sealed record ChartUpdate(
    [property: Id(0)] string Chart,
    [property: Id(1)] string Epoch,
    [property: Id(2)] long Seq,
    [property: Id(3)] long Prev,
    [property: Id(4)] ImmutableArray<ChartPoint> Points,
    [property: Id(5)] bool Revision = false) : MergeableContent
{
    public const string Type = "chart.update";

    public override MergeableContent Merge(MergeableContent newer)
    {
        // A new epoch is always preceded by its snapshot, which the queue never merges across; this is a safeguard.
        if (newer is not ChartUpdate update || update.Epoch != Epoch || update.Chart != Chart)
        {
            return newer;
        }
        var byTime = new SortedDictionary<long, ChartPoint>();
        foreach (var point in Points)
        {
            byTime[point.Bar.Time] = point;
        }
        foreach (var point in update.Points)
        {
            byTime[point.Bar.Time] = point;
        }
        return update with { Prev = Math.Min(Prev, update.Prev), Points = [.. byTime.Values], Revision = Revision || update.Revision };
    }

    public override ServerFrame Encode(string? conflationKey) =>
        ServerFrame.Encode(Type, conflationKey, null, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("chart", Chart);
            writer.WriteString("epoch", Epoch);
            writer.WriteNumber("seq", Seq);
            writer.WriteNumber("prev", Prev);
            if (Revision)
            {
                // Only when true: most updates are not revisions, and every byte of the hottest frame counts.
                writer.WriteBoolean("revision", true);
            }
            writer.WriteStartArray("bars");
            foreach (var point in Points)
            {
                ChartJson.WriteBar(writer, point.Bar, point.Final);
            }
            writer.WriteEndArray();
            writer.WriteStartArray("indicators");
            var indicators = Points.IsEmpty ? 0 : Points[0].Outputs.Length;
            for (var k = 0; k < indicators; k++)
            {
                writer.WriteStartArray();
                foreach (var point in Points)
                {
                    ChartJson.WriteOutputs(writer, point.Outputs[k]);
                }
                writer.WriteEndArray();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }) with { Mergeable = this, Epoch = Epoch };
}
