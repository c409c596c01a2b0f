using StackExchange.Redis;

namespace Realtime.QuoteFeed.Demo;

/// <summary>The <c>demo</c> subcommand: reads options, connects to Redis, runs <see cref="DemoFeed"/> until told to stop.</summary>
internal static class DemoCommand
{
    public static async Task<int> Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (!DemoFeedArguments.TryParse(args, out var options, out var error))
        {
            stderr.WriteLine($"demo: {error}");
            stderr.WriteLine("run with --help for the options");
            return ExitCodes.BadUsage;
        }
        return await Run(options, stdout, stderr, cancellationToken);
    }

    public static async Task<int> Run(DemoFeedOptions options, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var where = RedisConnector.Describe(options.Redis);
        await using var redis = await RedisConnector.Connect(options.Redis, options.ConnectTimeout, cancellationToken);
        if (redis is null)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return ExitCodes.Success;
            }
            stderr.WriteLine($"demo: cannot reach Redis at {where} (gave up after {options.ConnectTimeout.TotalSeconds:0.#} s); is redis-server running?");
            return ExitCodes.Failure;
        }

        var seed = options.Seed ?? Random.Shared.Next();
        var feed = new DemoFeed(options, seed, redis, TimeProvider.System, stdout, stderr);
        stdout.WriteLine($"demo feed: {options.Symbols} symbols ({Preview(feed.Tickers)}) at {options.Rate} quotes/s onto "
            + $"{options.Queue} at {where}, seed {seed}; Ctrl-C stops");
        try
        {
            await feed.Run(cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            stderr.WriteLine($"demo: Redis at {where} failed: {e.Message}");
            return ExitCodes.Failure;
        }
        stdout.WriteLine($"demo feed: stopped after {feed.QuotesSent} quotes");
        return ExitCodes.Success;
    }

    private static string Preview(IEnumerable<string> tickers)
    {
        var shown = tickers.Take(9).ToList();
        return shown.Count > 8 ? string.Join(", ", shown.Take(8)) + ", ..." : string.Join(", ", shown);
    }
}
