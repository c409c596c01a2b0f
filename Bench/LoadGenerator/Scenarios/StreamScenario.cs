namespace Realtime.Bench.Scenarios;

/// <summary>
/// Clients watching symbols while quotes stream in: end-to-end latency (LPUSH to frame received), frames
/// delivered per second, frames missing (conflated or dropped), and the server's CPU and memory meanwhile.
/// </summary>
public static class StreamScenario
{
    public static async Task<StreamResult> Run(BenchTarget target, StreamSettings settings, CancellationToken cancellationToken)
    {
        await using var session = await StreamSession.Open(target, settings.SymbolPrefix, settings.Clients, settings.Symbols, cancellationToken);
        return await session.Measure(settings, cancellationToken);
    }
}
