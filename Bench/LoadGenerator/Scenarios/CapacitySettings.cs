namespace Realtime.Bench.Scenarios;

/// <summary>
/// The capacity search: <see cref="Clients"/> clients over <see cref="Symbols"/> symbols (client <c>i</c> watching
/// symbol <c>i mod Symbols</c>), quotes offered at <see cref="StartQuotesPerSecond"/>, then <see cref="Factor"/> times
/// more each step until a step is not sustained or <see cref="MaxQuotesPerSecond"/> is reached (halving instead when
/// even the start is not sustained); then steps at the geometric middle of the highest rate sustained and the lowest
/// not sustained until they are within <see cref="Resolution"/> (<see cref="Refinements"/> halvings of one climbing
/// step, in the logarithm). A step is sustained
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
    public TimeSpan Recovery { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Halvings from the start when even the first step is not sustained.</summary>
    public int MaxStepsDown { get; init; } = 4;

    /// <summary>The ratio of the lowest rate not sustained to the highest sustained at which the search stops.</summary>
    public double Resolution => Math.Pow(Factor, 1.0 / (1 << Math.Clamp(Refinements, 0, 16)));

    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Frames a second offered at <paramref name="quotesPerSecond"/>: every quote goes to its symbol's viewers.</summary>
    public double OfferedFrames(double quotesPerSecond) => quotesPerSecond * Clients / Symbols;

    public string Describe() =>
        $"{Clients:N0} clients, {Symbols} symbols, offered from {OfferedFrames(StartQuotesPerSecond):N0} frames/s up by {Factor:0.##}x a step";

    public StreamSettings Step(double quotesPerSecond) =>
        new("capacity", SymbolPrefix, Clients, Symbols, quotesPerSecond, Warmup, Duration) { Drain = Drain };
}
