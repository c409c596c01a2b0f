namespace Realtime.QuoteFeed;

/// <summary>The help text, printed for --help and after a usage error.</summary>
internal static class Usage
{
    public const string Text = """
        usage: Realtime.Orleans.QuoteFeed <command> [options]

        commands:
          demo [options]                  push a random-walk test market onto the service queue until Ctrl-C
            --redis HOST:PORT             Redis to push to (default 127.0.0.1:6379)
            --queue NAME                  service queue (default queue:rtserver)
            --symbols N                   how many symbols, 1-1000 (default 8: AAPL, MSFT, GOOG, ...)
            --rate N                      quotes per second over all symbols, 1-10000 (default 20)
            --history N                   one-minute bars of history per symbol sent first, 0-10000 (default 600)
            --seed N                      random seed, for a reproducible market (default: a random one, printed)
            --ticks N                     stop after N batches of quotes instead of running until Ctrl-C
          indicators <ohlcv.csv|-> <name>...
                                          compute indicators over an OHLCV CSV file (- reads standard input);
                                          indicators --help lists the names and the CSV columns
          --help                          this text

        exit codes: 0 done, 1 failed (for example Redis unreachable), 2 bad arguments

        """;
}
