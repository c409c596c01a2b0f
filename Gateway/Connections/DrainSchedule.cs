namespace Realtime.Gateway.Connections;

/// <summary>
/// How many clients a draining gateway closes in its next batch: the configured batch size, unless that rate would
/// leave clients open at the end of the drain window; then the rest is shared out over the batches still left.
/// </summary>
internal static class DrainSchedule
{
    /// <param name="remaining">clients still open</param>
    /// <param name="batchSize"><see cref="GatewayOptions.DrainBatchSize"/></param>
    /// <param name="left">what is left of the drain window</param>
    /// <param name="interval"><see cref="GatewayOptions.DrainBatchIntervalMilliseconds"/></param>
    public static int NextBatch(int remaining, int batchSize, TimeSpan left, TimeSpan interval)
    {
        // This batch and those that still fit in the window, one per interval; the last one takes everybody left.
        var batchesLeft = left <= TimeSpan.Zero ? 1 : Math.Max(1, (int)Math.Ceiling(left / interval));
        var needed = (int)Math.Ceiling(remaining / (double)batchesLeft);
        return Math.Min(remaining, Math.Max(batchSize, needed));
    }

    /// <summary>The close reason of a drain (docs/protocol.md 1.6): reconnect at a random moment within this many ms.</summary>
    public static string Reason(TimeSpan interval) => $"going away; reconnect within {(int)interval.TotalMilliseconds} ms";
}
