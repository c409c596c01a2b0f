using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Realtime.Quotes;

/// <summary>
/// Reads a quote written the way docs/protocol.md 2.3 writes it, straight from its members in one pass: the six names
/// exactly (<c>symbol</c>, <c>price</c>, <c>volume</c>, <c>time</c>, <c>bid</c>, <c>ask</c>), each at most once, the
/// first four present, numbers finite. That is every quote a forwarder sends, and it costs no member-name strings,
/// no shape check and no serializer. Anything else (another spelling, an extra member, a value the general reader would
/// refuse) is not read here: <see cref="QuoteServiceHandler"/>'s general path reads it, or says exactly what is wrong.
/// </summary>
internal static class PlainQuoteReader
{
    private const int Symbol = 1, Price = 2, Volume = 4, Time = 8, Bid = 16, Ask = 32;
    private const int Required = Symbol | Price | Volume | Time;

    public static bool TryRead(JsonElement item, [NotNullWhen(true)] out Quote? quote)
    {
        quote = null;
        string? symbol = null;
        double price = 0, volume = 0;
        long time = 0;
        double? bid = null, ask = null;
        var seen = 0;
        foreach (var member in item.EnumerateObject())
        {
            var value = member.Value;
            int field;
            bool read;
            if (member.NameEquals("symbol"u8))
            {
                (field, read) = (Symbol, value.ValueKind == JsonValueKind.String);
                symbol = read ? value.GetString() : null;
            }
            else if (member.NameEquals("price"u8))
            {
                (field, read) = (Price, Finite(value, out price));
            }
            else if (member.NameEquals("volume"u8))
            {
                (field, read) = (Volume, Finite(value, out volume));
            }
            else if (member.NameEquals("time"u8))
            {
                (field, read) = (Time, value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out time));
            }
            else if (member.NameEquals("bid"u8))
            {
                (field, read) = (Bid, Optional(value, out bid));
            }
            else if (member.NameEquals("ask"u8))
            {
                (field, read) = (Ask, Optional(value, out ask));
            }
            else
            {
                return false;
            }
            if (!read || (seen & field) != 0)
            {
                return false;
            }
            seen |= field;
        }
        if ((seen & Required) != Required)
        {
            return false;
        }
        quote = new Quote(symbol!, price, volume, time, bid, ask);
        return true;
    }

    private static bool Finite(JsonElement value, out double number)
    {
        number = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out number) && double.IsFinite(number);
    }

    private static bool Optional(JsonElement value, out double? number)
    {
        number = null;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }
        if (!Finite(value, out var read))
        {
            return false;
        }
        number = read;
        return true;
    }
}
