namespace Realtime.Gateway.Authentication;

/// <summary>
/// Django's <c>b62_encode</c>/<c>b62_decode</c> (django/core/signing.py), used for the
/// TimestampSigner's timestamp field.
/// </summary>
internal static class DjangoBase62
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    // 11 base-62 digits already exceed long.MaxValue; refusing longer input up front keeps the loop
    // free of overflow checks on hostile timestamps.
    private const int MaxDigits = 10;

    public static string Encode(long value)
    {
        if (value == 0)
        {
            return "0";
        }

        // Magnitude as ulong so long.MinValue does not overflow on negation.
        var magnitude = value < 0 ? (ulong)(-(value + 1)) + 1 : (ulong)value;
        Span<char> digits = stackalloc char[12];
        var start = digits.Length;
        while (magnitude > 0)
        {
            digits[--start] = Alphabet[(int)(magnitude % 62)];
            magnitude /= 62;
        }

        var encoded = new string(digits[start..]);
        return value < 0 ? "-" + encoded : encoded;
    }

    public static bool TryDecode(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        if (text.IsEmpty)
        {
            return false;
        }

        var negative = text[0] == '-';
        if (negative)
        {
            text = text[1..];
        }

        if (text.Length > MaxDigits)
        {
            return false;
        }

        foreach (var digit in text)
        {
            var index = Alphabet.IndexOf(digit, StringComparison.Ordinal);
            if (index < 0)
            {
                return false;
            }

            value = (value * 62) + index;
        }

        if (negative)
        {
            value = -value;
        }

        return true;
    }
}
