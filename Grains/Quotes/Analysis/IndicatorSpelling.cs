namespace Realtime.Quotes.Analysis;

/// <summary>How one indicator name may be written and what it creates.</summary>
/// <param name="Name">The name as users type it, upper case (matched case-insensitively).</param>
/// <param name="TakesClose">Whether TA-Lib's <c>close</c> source argument may come first, as in <c>SMA(close,5)</c>.</param>
/// <param name="Parameters">The numeric parameters, all given or (when all have defaults) none.</param>
/// <param name="Create">Makes the indicator from validated parameter values.</param>
/// <param name="Check">A rule across parameters; returns an error or null.</param>
internal sealed record IndicatorSpelling(
    string Name,
    bool TakesClose,
    IReadOnlyList<IndicatorParameter> Parameters,
    Func<double[], IIndicator> Create,
    Func<double[], string?>? Check = null)
{
    public bool HasDefaults => Parameters.All(p => p.Default is not null);
}
