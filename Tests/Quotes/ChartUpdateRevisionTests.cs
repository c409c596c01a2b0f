using System.Text.Json;
using Realtime.Quotes;

namespace Realtime.Tests.Quotes;

/// <summary>
/// How <c>chart.update</c> spells bar finality and revisions on the wire (docs/protocol.md 1.9), and that a slow
/// reader's merged update keeps both: a revision merged with an ordinary update is still a revision.
/// </summary>
public sealed class ChartUpdateRevisionTests
{
    private const string Chart = "X|1m|MA(5)";

    private static ChartUpdate Update(long seq, bool final, bool revision) =>
        new(Chart, "e1", seq, seq - 1, [new ChartPoint(new Bar(60_000, 1, 2, 0.5, 1.5, 10 + seq), [[1.25]], final)], revision);

    private static JsonElement Data(ChartUpdate update)
    {
        using var json = JsonDocument.Parse(update.Encode("chart:" + Chart).Utf8Json);
        return json.RootElement.GetProperty("data").Clone();
    }

    [Fact]
    public void Each_bar_ends_with_its_final_flag_and_only_a_revision_says_so()
    {
        var forming = Data(Update(1, final: false, revision: false));
        var revised = Data(Update(2, final: true, revision: true));

        Assert.Equal("[60000,1,2,0.5,1.5,11,0]", forming.GetProperty("bars")[0].GetRawText());
        Assert.False(forming.TryGetProperty("revision", out _));
        Assert.Equal("[60000,1,2,0.5,1.5,12,1]", revised.GetProperty("bars")[0].GetRawText());
        Assert.True(revised.GetProperty("revision").GetBoolean());
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void A_merged_update_is_a_revision_when_either_was(bool olderRevision, bool newerRevision)
    {
        var merged = (ChartUpdate)Update(1, final: true, olderRevision).Merge(Update(2, final: true, newerRevision));

        Assert.True(merged.Revision);
        Assert.Equal(0, merged.Prev);
        Assert.True(Data(merged).GetProperty("revision").GetBoolean());
    }

    [Fact]
    public void Two_ordinary_updates_merge_into_an_ordinary_one()
    {
        var merged = (ChartUpdate)Update(1, final: false, revision: false).Merge(Update(2, final: true, revision: false));

        Assert.False(merged.Revision);
        Assert.True(merged.Points[0].Final);
    }
}
