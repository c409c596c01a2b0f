namespace Realtime.Quotes.Analysis;

/// <summary>The period range every indicator accepts; beyond it a chart would be all lookback or a typo.</summary>
public static class Periods
{
    public const int Min = 1;

    public const int Max = 1000;

    internal static int Check(int value, string parameterName, int min = Min)
    {
        if (value < min || value > Max)
        {
            throw new ArgumentOutOfRangeException(parameterName, value, $"Must be from {min} to {Max}.");
        }
        return value;
    }
}
