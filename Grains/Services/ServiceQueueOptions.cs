using System.ComponentModel.DataAnnotations;

namespace Realtime.Services;

/// <summary>Configuration section <c>ServiceQueue</c>: which Redis lists the silos pump, and how.</summary>
public sealed class ServiceQueueOptions
{
    public const string Section = "ServiceQueue";

    public const string DefaultQueue = "queue:rtserver";

    /// <summary>
    /// The Redis lists to pump, one pump grain each; <see cref="DefaultQueue"/> when none is configured. (Not an
    /// initialiser: the configuration binder would append configured queues to it instead of replacing it.)
    /// </summary>
    public string[] Queues { get; set; } = [];

    /// <summary>
    /// How many messages one Redis round trip takes at most. A full batch is handled as one call per quote centre,
    /// so larger batches drain a backlog faster (2,048: about 95,000 messages/s, 8,192: about 115,000 in the benchmark);
    /// a quiet queue yields small batches and no added latency. A full take holds Redis for about 6 ms.
    /// </summary>
    [Range(1, 10_000, ErrorMessage = "ServiceQueue:BatchSize must be {1}..{2}")]
    public int BatchSize { get; set; } = 8192;

    /// <summary>How many dead letters each queue keeps (newest first); older ones are trimmed.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "ServiceQueue:DeadLetterCap must be positive")]
    public int DeadLetterCap { get; set; } = 10_000;

    /// <summary>
    /// How often a message whose handler failed (the cluster, not the message, was at fault) is tried before it is
    /// dead-lettered. Retries back off from 100 ms doubling to 5 s, so the default rides out about 20 s: longer than
    /// a silo failover takes to settle. Capped so that a typo cannot keep a failing message retrying for hours: 100
    /// tries take about 8 minutes.
    /// </summary>
    [Range(1, 100, ErrorMessage = "ServiceQueue:MaxAttempts must be {1}..{2}")]
    public int MaxAttempts { get; set; } = 8;
}
