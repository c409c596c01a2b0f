using System.Globalization;

namespace Realtime.Quotes;

/// <summary>Bars as Redis hash values: <c>open,high,low,close,volume</c> in round-trip invariant notation.</summary>
internal static class BarCodec
{
    public static string Encode(Bar bar) => string.Create(CultureInfo.InvariantCulture, $"{bar.Open:R},{bar.High:R},{bar.Low:R},{bar.Close:R},{bar.Volume:R}");

    public static bool TryDecode(long time, string? value, out Bar bar)
    {
        bar = default;
        var parts = value?.Split(',');
        if (parts is not { Length: 5 })
        {
            return false;
        }
        var numbers = new double[5];
        for (var i = 0; i < 5; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return false;
            }
        }
        bar = new Bar(time, numbers[0], numbers[1], numbers[2], numbers[3], numbers[4]);
        return true;
    }
}
