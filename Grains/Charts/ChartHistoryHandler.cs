using Realtime.Connections;
using Realtime.Quotes;
using Realtime.Users;

namespace Realtime.Charts;

/// <summary>
/// <c>chart.history</c>: history paging for a chart scrolled left. Answers the newest <c>count</c> bars of a symbol
/// and period opening before <c>before</c> (or the newest bars of all), oldest first, with <c>more</c> (whether the
/// server holds older bars) and <c>nextTime</c> (the open time of the newest of them). Bars only: an indicator's value
/// depends on the bar its computation started from, and a chart's indicators start from its own window
/// (docs/protocol.md 1.12). Each bar says whether it is final, by the rule chart frames follow (<see cref="BarClock"/>).
/// </summary>
internal sealed class ChartHistoryHandler(BarClock clock) : IUserMessageHandler
{
    public const string ReplyType = "chart.history";
    public const int DefaultCount = 300;
    public const int MaxCount = QuoteRules.MaxHistoryBars;

    public string Type => "chart.history";

    public async Task Handle(UserMessageContext context)
    {
        if (!context.TryReadData<ChartHistoryRequest>(out var request))
        {
            return;
        }
        if (!QuoteRules.IsSymbol(request.Symbol))
        {
            context.Error(ErrorCodes.InvalidData, "'symbol' must be 1-32 characters of A-Z a-z 0-9 . _ -");
            return;
        }
        if (!ChartPeriod.IsSupported(request.Period))
        {
            context.Error(ErrorCodes.InvalidData, $"'period' must be one of {string.Join(", ", ChartPeriod.All)}");
            return;
        }
        if (request.Before is <= 0)
        {
            context.Error(ErrorCodes.InvalidData, "'before' must be a time in unix ms > 0 (or absent: the newest bars).");
            return;
        }
        var count = request.Count ?? DefaultCount;
        if (count is < 1 or > MaxCount)
        {
            context.Error(ErrorCodes.InvalidData, $"'count' must be 1 to {MaxCount}.");
            return;
        }

        var centre = context.GrainFactory.GetGrain<IQuoteCentreGrain>(request.Symbol);
        var page = await centre.GetPage(request.Period, long.MinValue, request.Before ?? long.MaxValue, count);
        if (page is null)
        {
            context.Error(ErrorCodes.NotFound, $"Unknown symbol '{request.Symbol}'.");
            return;
        }
        // Every bar but the page's newest has a later one; the newest is final when its period is over or, asked only
        // when the clock does not settle it (a page that reaches the forming bar), when the centre holds a later bar.
        var newestFinal = page.Bars.IsEmpty
            || clock.IsClosed(request.Period, page.Bars[^1].Time)
            || (await centre.GetPage(request.Period, page.Bars[^1].Time + 1, long.MaxValue, 1))?.Bars.IsEmpty == false;
        context.Reply(ServerFrame.Encode(ReplyType, null, context.Message.IdJson, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("symbol", request.Symbol);
            writer.WriteString("period", request.Period);
            if (request.Before is { } before)
            {
                writer.WriteNumber("before", before);
            }
            else
            {
                writer.WriteNull("before");
            }
            writer.WriteStartArray("bars");
            for (var i = 0; i < page.Bars.Length; i++)
            {
                // As in chart frames.
                ChartJson.WriteBar(writer, page.Bars[i], i < page.Bars.Length - 1 || newestFinal);
            }
            writer.WriteEndArray();
            writer.WriteBoolean("more", page.Older is not null);
            if (page.Older is { } older)
            {
                writer.WriteNumber("nextTime", older);
            }
            else
            {
                writer.WriteNull("nextTime");
            }
            writer.WriteEndObject();
        }));
    }
}
