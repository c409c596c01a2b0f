using System.Collections.Immutable;
using System.Text.Json;
using Realtime.Services;

namespace Realtime.Quotes;

/// <summary><c>bars</c>: history backfill of one symbol and period (docs/protocol.md 2.3).</summary>
internal sealed class BarsServiceHandler(IGrainFactory grains) : IServiceMessageHandler
{
    internal const int MaxBarsPerMessage = 5_000;

    public string Type => "bars";

    public async Task<ServiceOutcome[]> Handle(IReadOnlyList<ServiceMessage> messages, CancellationToken cancellationToken)
    {
        var outcomes = new ServiceOutcome[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            if (!TryRead(messages[i].Data, out var symbol, out var period, out var bars, out var error))
            {
                outcomes[i] = ServiceOutcome.Rejected(error);
                continue;
            }
            await grains.GetGrain<IQuoteCentreGrain>(symbol).Backfill(period, bars);
            outcomes[i] = ServiceOutcome.Delivered;
        }
        return outcomes;
    }

    private static bool TryRead(JsonElement data, out string symbol, out string period, out ImmutableArray<Bar> bars, out string error)
    {
        symbol = period = "";
        bars = [];
        if (data.ValueKind != JsonValueKind.Object)
        {
            error = "bars: 'data' must be an object {symbol, period, bars}";
            return false;
        }
        if (!data.TryGetProperty("symbol", out var s) || s.ValueKind != JsonValueKind.String || !QuoteRules.IsSymbol(s.GetString()))
        {
            error = "bars: 'symbol' must be 1-32 characters of A-Z a-z 0-9 . _ -";
            return false;
        }
        if (!data.TryGetProperty("period", out var p) || p.ValueKind != JsonValueKind.String || !ChartPeriod.IsSupported(p.GetString()))
        {
            error = $"bars: 'period' must be one of {string.Join(", ", ChartPeriod.All)}";
            return false;
        }
        if (!data.TryGetProperty("bars", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() is 0 or > MaxBarsPerMessage)
        {
            error = $"bars: 'bars' must be an array of 1 to {MaxBarsPerMessage} bars";
            return false;
        }
        symbol = s.GetString()!;
        period = p.GetString()!;
        var builder = ImmutableArray.CreateBuilder<Bar>(list.GetArrayLength());
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            if (!TryReadBar(item, out var bar))
            {
                error = $"bars[{index}]: must be [time, open, high, low, close, volume] numbers";
                return false;
            }
            if (QuoteRules.Check(bar, period) is { } problem)
            {
                error = $"bars[{index}]: {problem}";
                return false;
            }
            builder.Add(bar);
            index++;
        }
        bars = builder.MoveToImmutable();
        error = "";
        return true;
    }

    private static bool TryReadBar(JsonElement item, out Bar bar)
    {
        bar = default;
        if (item.ValueKind != JsonValueKind.Array || item.GetArrayLength() != 6 || item.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number))
        {
            return false;
        }
        if (!item[0].TryGetInt64(out var time))
        {
            return false;
        }
        bar = new Bar(time, item[1].GetDouble(), item[2].GetDouble(), item[3].GetDouble(), item[4].GetDouble(), item[5].GetDouble());
        return true;
    }
}
