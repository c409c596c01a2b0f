namespace Realtime.Bench.Scenarios;

/// <summary>
/// The capacity search: <see cref="Clients"/> clients over <see cref="Symbols"/> symbols (client <c>i</c> watching
/// symbol <c>i mod Symbols</c>), quotes offered at <see cref="StartQuotesPerSecond"/>, then <see cref="Factor"/> times
/// more each step until a step is not sustained or <see cref="MaxQuotesPerSecond"/> is passed; then
/// <see cref="Refinements"/> steps between the last rate sustained and the first not sustained. A step is sustained
/// when at most <see cref="MaxMissingPercent"/> % of its expected frames are missing and its p99 latency is under
/// <see cref="MaxP99Milliseconds"/>. Each step warms up for <see cref="Warmup"/> and is measured for <see cref="Duration"/>.
/// </summary>
public sealed record CapacitySettings(
    int Clients,
    int Symbols,
    double StartQuotesPerSecond,
    double Factor,
    double MaxQuotesPerSecond,
    int Refinements,
    TimeSpan Warmup,
    TimeSpan Duration)
{
    public const string SymbolPrefix = "CAP";

    public double MaxMissingPercent { get; init; } = 1;

    public double MaxP99Milliseconds { get; init; } = 1000;

    /// <summary>How long a server may take to catch up after a step it did not sustain before the search gives up.</summary>
    public TimeSpan Recovery { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Steps down from the start when even the first step is not sustained.</summary>
    public int MaxStepsDown { get; init; } = 3;

    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Frames a second offered at <paramref name="quotesPerSecond"/>: every quote goes to its symbol's viewers.</summary>
    public double OfferedFrames(double quotesPerSecond) => quotesPerSecond * Clients / Symbols;

    public string Describe() =>
        $"{Clients:N0} clients, {Symbols} symbols, offered from {OfferedFrames(StartQuotesPerSecond):N0} frames/s up by {Factor:0.##}x a step";

    public StreamSettings Step(double quotesPerSecond) =>
        new("capacity", SymbolPrefix, Clients, Symbols, quotesPerSecond, Warmup, Duration) { Drain = Drain };
}
