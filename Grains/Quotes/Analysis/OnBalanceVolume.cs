namespace Realtime.Quotes.Analysis;

/// <summary>
/// OBV (TA-Lib <c>OBV</c> of the close): starts at the first bar's volume, then adds the volume on an up close,
/// subtracts it on a down close and keeps it on an unchanged close.
/// </summary>
public sealed class OnBalanceVolume : IIndicator
{
    private readonly BarCounter _bars = new();
    private readonly Revisable<State> _state = new(default);
    private readonly LatestOutputs _latest = new(1);

    public string Name => "OBV";

    public IReadOnlyList<string> Outputs => OutputNames.Value;

    public int Lookback => 0;

    public ReadOnlySpan<double> Latest => _latest.Values;

    public void Append(Bar bar) => Update(bar, UpdateKind.Append);

    public void ReplaceLast(Bar bar) => Update(bar, UpdateKind.ReplaceLast);

    private void Update(Bar bar, UpdateKind kind)
    {
        var index = _bars.Advance(kind);
        var before = _state.Start(kind);
        var obv = index == 0 ? bar.Volume
            : bar.Close > before.Close ? before.Obv + bar.Volume
            : bar.Close < before.Close ? before.Obv - bar.Volume
            : before.Obv;
        _state.Finish(new State(bar.Close, obv));
        _latest.Set(obv);
    }

    private readonly record struct State(double Close, double Obv);
}
