namespace Realtime.Bench.Scenarios;

/// <summary>
/// The highest fan-out rate a server sustains (see <see cref="CapacitySettings"/>), found by stepping the offered rate
/// on one set of connected clients. After a step it did not sustain, the server gets time to catch up (one more quote
/// per symbol has reached every client) before a lower step.
/// </summary>
public static class CapacityScenario
{
    /// <summary>Why a step does not count as sustained, or null when it does.</summary>
    public static string? Judge(StreamResult result, CapacitySettings settings)
    {
        var reasons = new List<string>();
        if (result.DeliveredFrames == 0)
        {
            reasons.Add("no frames delivered");
        }
        else
        {
            if (!(result.MissingPercent <= settings.MaxMissingPercent))
            {
                reasons.Add($"{result.MissingPercent:F1} % missing");
            }
            if (!(result.P99 < settings.MaxP99Milliseconds))
            {
                reasons.Add($"p99 {result.P99:F0} ms");
            }
        }
        return reasons.Count == 0 ? null : string.Join(", ", reasons);
    }

    /// <summary>
    /// A step not sustained by a hair: at most twice the missing share and 1.5 times the p99 allowed. A first step
    /// like that is run once more before the search halves (one noisy step must not halve the answer).
    /// </summary>
    public static bool Borderline(StreamResult result, CapacitySettings settings) =>
        result.DeliveredFrames > 0 && result.MissingPercent <= 2 * settings.MaxMissingPercent && result.P99 < 1.5 * settings.MaxP99Milliseconds;

    /// <summary>
    /// The rates the search tries after <paramref name="steps"/> so far; null when it is done. With
    /// <paramref name="firstStepBorderline"/> a first step not sustained is tried again before the search halves.
    /// </summary>
    public static double? NextRate(CapacitySettings settings, IReadOnlyList<(double Rate, bool Sustained)> steps, bool firstStepBorderline = false)
    {
        if (steps.Count == 0)
        {
            return settings.StartQuotesPerSecond;
        }
        if (steps is [{ Sustained: false } first] && firstStepBorderline)
        {
            return first.Rate;
        }
        var sustained = steps.Where(s => s.Sustained).Select(s => s.Rate).DefaultIfEmpty(double.NaN).Max();
        // A failure at a rate that was sustained too (a retried step) no longer bounds the search.
        var failed = steps.Where(s => !s.Sustained && !(s.Rate <= sustained)).Select(s => s.Rate).DefaultIfEmpty(double.NaN).Min();
        if (double.IsNaN(failed))
        {
            // Climbing: every step so far was sustained; the last step is the maximum itself.
            return sustained < settings.MaxQuotesPerSecond * (1 - 1e-9) ? Math.Min(sustained * settings.Factor, settings.MaxQuotesPerSecond) : null;
        }
        if (double.IsNaN(sustained))
        {
            // Even the start was too much: halve until a step is sustained.
            return steps.Count(s => !s.Sustained) <= settings.MaxStepsDown ? failed / 2 : null;
        }
        // Bracketed: the geometric middle of the highest sustained and the lowest not sustained, until the bracket is
        // as narrow as --capacity-refine halvings of one climbing step make it.
        return failed / sustained > settings.Resolution * (1 + 1e-9) ? Math.Sqrt(sustained * failed) : null;
    }

    public static async Task<CapacityResult> Run(BenchTarget target, CapacitySettings settings, Action<string> progress, CancellationToken cancellationToken)
    {
        await using var session = await StreamSession.Open(target, CapacitySettings.SymbolPrefix, settings.Clients, settings.Symbols, cancellationToken);
        var steps = new List<CapacityStep>();
        var ended = "";
        while (NextRate(settings, [.. steps.Select(s => (s.QuotesPerSecond, s.Sustained))], steps is [{ Sustained: false } only] && Borderline(only.Result, settings)) is { } rate)
        {
            if (steps.Count > 0 && !steps[^1].Sustained && !await session.WaitCaughtUp(settings.Recovery, cancellationToken))
            {
                ended = $"stopped: the server had not caught up {settings.Recovery.TotalSeconds:F0} s after the step it did not sustain";
                break;
            }
            var result = await session.Measure(settings.Step(rate), cancellationToken);
            var step = new CapacityStep(rate, settings.OfferedFrames(rate), result, Judge(result, settings));
            steps.Add(step);
            progress($"capacity step {steps.Count}: {step.Describe()}; CPU: {result.CpuBreakdown}");
        }
        if (ended.Length == 0)
        {
            ended = steps.All(s => s.Sustained)
                ? $"every step sustained: the search stops at {settings.OfferedFrames(settings.MaxQuotesPerSecond):N0} offered (--capacity-max)"
                : steps.Any(s => s.Sustained) ? "bracketed" : "no step sustained";
        }
        return new CapacityResult(target.Name, settings, steps, ended);
    }
}
