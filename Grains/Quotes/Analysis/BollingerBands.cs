namespace Realtime.Quotes.Analysis;

/// <summary>
/// Bollinger bands of the close (TA-Lib <c>BBANDS</c> with an SMA): middle = SMA(period), upper/lower = middle ±
/// deviations × the population standard deviation of the same window.
/// </summary>
/// <remarks>
/// TA-Lib computes the variance as mean(x²) − mean(x)², both running sums, and reports a standard deviation of 0 when
/// that variance is below 1e-8; we do the same so the last bits agree.
/// </remarks>
public sealed class BollingerBands : IIndicator
{
    public const double MaxDeviations = 100.0;

    // TA-Lib's TA_IS_ZERO_OR_NEG threshold.
    private const double Epsilon = 0.00000001;

    private readonly BarCounter _bars = new();
    private readonly SimpleAverage _mean;
    private readonly SimpleAverage _meanOfSquares;
    private readonly LatestOutputs _latest = new(3);

    public BollingerBands(int period = 20, double deviations = 2.0)
    {
        Period = Periods.Check(period, nameof(period));
        if (!(deviations > 0.0 && deviations <= MaxDeviations))
        {
            throw new ArgumentOutOfRangeException(nameof(deviations), deviations, $"Must be above 0 and at most {MaxDeviations}.");
        }
        Deviations = deviations;
        _mean = new SimpleAverage(period);
        _meanOfSquares = new SimpleAverage(period);
    }

    public int Period { get; }

    public double Deviations { get; }

    public string Name => FormattableString.Invariant($"BBANDS(close,{Period},{Deviations:R})");

    public IReadOnlyList<string> Outputs => OutputNames.Bands;

    public int Lookback => Period - 1;

    public ReadOnlySpan<double> Latest => _latest.Values;

    public void Append(Bar bar) => Update(bar, UpdateKind.Append);

    public void ReplaceLast(Bar bar) => Update(bar, UpdateKind.ReplaceLast);

    private void Update(Bar bar, UpdateKind kind)
    {
        _bars.Advance(kind);
        var mean = _mean.Update(bar.Close, kind);
        var meanOfSquares = _meanOfSquares.Update(bar.Close * bar.Close, kind);
        if (mean is not { } middle || meanOfSquares is not { } squares)
        {
            _latest.Clear();
            return;
        }
        var variance = squares - (middle * middle);
        var width = (variance < Epsilon ? 0.0 : Math.Sqrt(variance)) * Deviations;
        _latest.Set(middle + width, middle, middle - width);
    }
}
