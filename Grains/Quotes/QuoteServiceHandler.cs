using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using Realtime.Services;

namespace Realtime.Quotes;

/// <summary>
/// <c>quote</c>: one quote or an array of quotes into the quote centres. The quotes of a batch are grouped by
/// symbol, keeping queue order within each symbol, and the symbols are sent to their centres at once.
/// </summary>
internal sealed class QuoteServiceHandler(IGrainFactory grains, ServiceMetrics metrics, TimeProvider clock) : IServiceMessageHandler
{
    internal const int MaxQuotesPerMessage = 10_000;

    // Web defaults read "187.25" as 187.25; a quote's numbers are JSON numbers (docs/protocol.md 2.3).
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { NumberHandling = JsonNumberHandling.Strict };

    public string Type => "quote";

    public async Task<ServiceOutcome[]> Handle(IReadOnlyList<ServiceMessage> messages, CancellationToken cancellationToken)
    {
        var outcomes = new ServiceOutcome[messages.Count];
        var bySymbol = new Dictionary<string, List<Quote>>(StringComparer.Ordinal);
        for (var i = 0; i < messages.Count; i++)
        {
            if (!TryRead(messages[i].Data, out var quotes, out var error))
            {
                outcomes[i] = ServiceOutcome.Rejected(error);
                continue;
            }
            metrics.PumpLag.Record(clock.GetUtcNow().ToUnixTimeMilliseconds() - quotes[^1].Time);
            foreach (var quote in quotes)
            {
                if (!bySymbol.TryGetValue(quote.Symbol, out var list))
                {
                    bySymbol.Add(quote.Symbol, list = []);
                }
                list.Add(quote);
            }
            outcomes[i] = ServiceOutcome.Delivered;
        }
        await Task.WhenAll(bySymbol.Select(s => grains.GetGrain<IQuoteCentreGrain>(s.Key).Publish([.. s.Value])));
        return outcomes;
    }

    internal static bool TryRead(JsonElement data, out ImmutableArray<Quote> quotes, out string error)
    {
        quotes = [];
        IEnumerable<JsonElement> items = data.ValueKind switch
        {
            JsonValueKind.Object => [data],
            JsonValueKind.Array => data.EnumerateArray(),
            _ => [],
        };
        if (data.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
        {
            error = "quote: 'data' must be a quote object or an array of them";
            return false;
        }
        var builder = ImmutableArray.CreateBuilder<Quote>();
        var index = 0;
        foreach (var item in items)
        {
            if (index >= MaxQuotesPerMessage)
            {
                error = $"quote: at most {MaxQuotesPerMessage} quotes per message";
                return false;
            }
            if (item.ValueKind != JsonValueKind.Object)
            {
                error = $"quote[{index}]: not a quote object";
                return false;
            }
            if (!PlainQuoteReader.TryRead(item, out var quote) && !TryReadAnyForm(item, index, out quote, out error))
            {
                return false;
            }
            if (QuoteRules.Check(quote) is { } problem)
            {
                error = $"quote[{index}]: {problem}";
                return false;
            }
            builder.Add(quote);
            index++;
        }
        if (builder.Count == 0)
        {
            error = "quote: no quotes";
            return false;
        }
        quotes = builder.ToImmutable();
        error = "";
        return true;
    }

    /// <summary>A quote in any form the protocol allows (names in any case, extra members), or what is wrong with it.</summary>
    private static bool TryReadAnyForm(JsonElement item, int index, [NotNullWhen(true)] out Quote? quote, out string error)
    {
        quote = null;
        if (JsonShape.Check(item, typeof(Quote), ignoreUnknown: true) is { } shape)
        {
            error = $"quote[{index}]: {shape.Describe()}";
            return false;
        }
        try
        {
            quote = item.Deserialize<Quote>(JsonOptions);
        }
        catch (JsonException)
        {
            // JsonShape lets through only what a quote holds; the serializer's message would name .NET types.
            error = $"quote[{index}]: could not be read";
            return false;
        }
        error = quote is null ? $"quote[{index}]: not a quote object" : "";
        return quote is not null;
    }
}
