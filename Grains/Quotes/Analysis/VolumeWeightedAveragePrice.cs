namespace Realtime.Quotes.Analysis;

/// <summary>
/// VWAP over the whole stream (no session resets): Σ(typical price × volume) / Σ volume, typical price =
/// (high + low + close) / 3. TA-Lib has no VWAP. No value until some volume has traded, since the ratio is undefined.
/// </summary>
public sealed class VolumeWeightedAveragePrice : IIndicator
{
    private readonly BarCounter _bars = new();
    private readonly Revisable<Totals> _totals = new(default);
    private readonly LatestOutputs _latest = new(1);

    public string Name => "VWAP";

    public IReadOnlyList<string> Outputs => OutputNames.Value;

    public int Lookback => 0;

    public ReadOnlySpan<double> Latest => _latest.Values;

    public void Append(Bar bar) => Update(bar, UpdateKind.Append);

    public void ReplaceLast(Bar bar) => Update(bar, UpdateKind.ReplaceLast);

    private void Update(Bar bar, UpdateKind kind)
    {
        _bars.Advance(kind);
        var before = _totals.Start(kind);
        var typicalPrice = (bar.High + bar.Low + bar.Close) / 3.0;
        var after = new Totals(before.PriceVolume + (typicalPrice * bar.Volume), before.Volume + bar.Volume);
        _totals.Finish(after);
        if (after.Volume > 0.0)
        {
            _latest.Set(after.PriceVolume / after.Volume);
        }
        else
        {
            _latest.Clear();
        }
    }

    private readonly record struct Totals(double PriceVolume, double Volume);
}
