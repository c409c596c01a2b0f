namespace Realtime.Quotes.Analysis;

/// <summary>One numeric parameter of an indicator spelling, with its default and allowed range.</summary>
/// <param name="Name">As shown in error messages.</param>
/// <param name="Default">Used when the spelling is written without parameters; null if it must be given.</param>
/// <param name="WholeNumber">Periods are whole numbers; band widths may be fractional.</param>
/// <param name="Min">Smallest allowed value.</param>
/// <param name="Max">Largest allowed value.</param>
internal sealed record IndicatorParameter(string Name, double? Default, bool WholeNumber, double Min, double Max)
{
    public static IndicatorParameter Period(string name, int? defaultValue = null, int min = Periods.Min) =>
        new(name, defaultValue, WholeNumber: true, min, Periods.Max);

    public string Describe() => WholeNumber
        ? FormattableString.Invariant($"a whole number from {Min} to {Max}")
        : FormattableString.Invariant($"a number above {Min} and at most {Max}");

    public bool Allows(double value) => WholeNumber ? value >= Min && value <= Max : value > Min && value <= Max;
}
