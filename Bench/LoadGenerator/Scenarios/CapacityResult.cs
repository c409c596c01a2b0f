namespace Realtime.Bench.Scenarios;

/// <summary>One step of the capacity search: the offered rate and what the clients got.</summary>
public sealed record CapacityStep(double QuotesPerSecond, double OfferedFramesPerSecond, StreamResult Result, string? NotSustainedBecause)
{
    public bool Sustained => NotSustainedBecause is null;

    public string Describe() =>
        $"{OfferedFramesPerSecond:N0} offered: {Result.FramesPerSecond:N0} frames/s, p99 {Result.P99:F0} ms, missing {Result.MissingPercent:F1} % " +
        (Sustained ? "(sustained)" : $"(not sustained: {NotSustainedBecause})");
}

/// <summary>The capacity search's steps, in the order run, and what ended it.</summary>
public sealed record CapacityResult(string Server, CapacitySettings Settings, IReadOnlyList<CapacityStep> Steps, string Ended)
{
    /// <summary>The highest offered frames/s a step sustained; null when none did.</summary>
    public double? SustainedFramesPerSecond =>
        Steps.Where(s => s.Sustained).Select(s => (double?)s.OfferedFramesPerSecond).DefaultIfEmpty(null).Max();

    /// <summary>The lowest offered frames/s a step did not sustain; null when every step was sustained.</summary>
    public double? FirstNotSustained =>
        Steps.Where(s => !s.Sustained).Select(s => (double?)s.OfferedFramesPerSecond).DefaultIfEmpty(null).Min();

    /// <summary>The sustained step at the capacity, for its latency and CPU.</summary>
    public CapacityStep? AtCapacity => Steps.Where(s => s.Sustained).MaxBy(s => s.OfferedFramesPerSecond);
}
