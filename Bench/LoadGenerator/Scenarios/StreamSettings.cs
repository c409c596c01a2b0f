namespace Realtime.Bench.Scenarios;

/// <summary>
/// A streaming run: <see cref="Clients"/> clients, client <c>i</c> watching symbol <c>i mod Symbols</c>, quotes
/// pushed at <see cref="QuotesPerSecond"/> round robin over the symbols. Only the <see cref="Duration"/> after the
/// <see cref="Warmup"/> is measured; <see cref="Drain"/> lets frames of the window's last quotes arrive.
/// </summary>
public sealed record StreamSettings(
    string Name,
    string SymbolPrefix,
    int Clients,
    int Symbols,
    double QuotesPerSecond,
    TimeSpan Warmup,
    TimeSpan Duration)
{
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(2);

    public string Describe() => $"{Clients:N0} clients, {Symbols} symbols, {QuotesPerSecond:N0} quotes/s";
}
