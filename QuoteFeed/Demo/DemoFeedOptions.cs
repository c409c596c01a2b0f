namespace Realtime.QuoteFeed.Demo;

/// <summary>What the demo feed pushes, where and how fast; <see cref="DemoFeedArguments"/> reads it from the command line.</summary>
internal sealed record DemoFeedOptions
{
    public string Redis { get; init; } = "127.0.0.1:6379";

    public string Queue { get; init; } = "queue:rtserver";

    public int Symbols { get; init; } = 8;

    /// <summary>Quotes per second over all symbols together.</summary>
    public int Rate { get; init; } = 20;

    /// <summary>One-minute bars of history per symbol, pushed before the first quote.</summary>
    public int History { get; init; } = 600;

    /// <summary>Null picks a random seed; the command prints it so a market can be replayed.</summary>
    public int? Seed { get; init; }

    /// <summary>Stop after this many batches of quotes; null runs until cancelled.</summary>
    public int? Ticks { get; init; }

    /// <summary>How long to wait for Redis before giving up. Not on the command line; tests shorten it.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
