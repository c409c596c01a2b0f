using Realtime.Services;
using StackExchange.Redis;

namespace Realtime.QuoteFeed.Demo;

/// <summary>
/// The product's test quote source: backfills each symbol's one-minute history with <c>bars</c> messages, then
/// pushes one <c>quote</c> message per tick until cancelled or, with <see cref="DemoFeedOptions.Ticks"/>, for that
/// many ticks.
/// </summary>
internal sealed class DemoFeed
{
    /// <summary>The <c>src</c> of every message, so the server's logs and dead letters say where it came from.</summary>
    public const string Source = "demo-feed";

    public const string Period = "1m";

    public const int MaxBarsPerMessage = 1000;

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);

    private readonly DemoFeedOptions _options;
    private readonly ServiceQueueClient _queue;
    private readonly DemoMarket _market;
    private readonly TimeProvider _time;
    private readonly TextWriter _output;
    private readonly TextWriter _errors;
    private long _lastQuoteTime;
    private bool _pushFailing;

    public DemoFeed(DemoFeedOptions options, int seed, IConnectionMultiplexer redis, TimeProvider time, TextWriter output, TextWriter errors)
    {
        _options = options;
        _queue = new ServiceQueueClient(redis, Source);
        _market = new DemoMarket(options.Symbols, options.Rate, seed);
        _time = time;
        _output = output;
        _errors = errors;
    }

    public IEnumerable<string> Tickers => _market.Instruments.Select(i => i.Ticker);

    public long QuotesSent { get; private set; }

    /// <summary>Backfills, then pushes quotes; returns normally when <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task Run(CancellationToken cancellationToken)
    {
        try
        {
            await Backfill(cancellationToken);
            await PushQuotes(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task Backfill(CancellationToken cancellationToken)
    {
        if (_options.History == 0)
        {
            return;
        }

        var lastBarTime = BarHistory.LastCompleteMinute(_time.GetUtcNow().ToUnixTimeMilliseconds());
        foreach (var (ticker, bars) in _market.History(lastBarTime, _options.History))
        {
            var messages = bars.Chunk(MaxBarsPerMessage)
                .Select(chunk => new BarsMessage(ticker, Period, [.. chunk.Select(bar => bar.ToWire())]));
            await _queue.PushMany(_options.Queue, "bars", messages).WaitAsync(cancellationToken);
        }
        _output.WriteLine($"demo feed: sent {_options.History} one-minute bars of history for each of {_market.Instruments.Count} symbols");
    }

    private async Task PushQuotes(CancellationToken cancellationToken)
    {
        var pacer = new QuotePacer(_options.Rate);
        using var timer = new PeriodicTimer(pacer.Interval, _time);
        var (reportedAt, reportedCount) = (_time.GetTimestamp(), 0L);
        for (var tick = 0; _options.Ticks is not { } ticks || tick < ticks; tick++)
        {
            await timer.WaitForNextTickAsync(cancellationToken);
            var time = NextQuoteTime();
            var quotes = Enumerable.Range(0, pacer.NextBatchSize()).Select(_ => _market.NextQuote(time)).ToArray();
            if (await TryPush(quotes, cancellationToken))
            {
                QuotesSent += quotes.Length;
            }

            var elapsed = _time.GetElapsedTime(reportedAt);
            if (elapsed >= ProgressInterval)
            {
                _output.WriteLine($"demo feed: {QuotesSent} quotes sent ({(QuotesSent - reportedCount) / elapsed.TotalSeconds:F1}/s)");
                (reportedAt, reportedCount) = (_time.GetTimestamp(), QuotesSent);
            }
        }
    }

    // A quote older than its symbol's latest is ignored by the server, so a wall clock stepping back must not show.
    private long NextQuoteTime() =>
        _lastQuoteTime = Math.Max(_lastQuoteTime, _time.GetUtcNow().ToUnixTimeMilliseconds());

    private async Task<bool> TryPush(DemoQuote[] quotes, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Push(_options.Queue, "quote", quotes).WaitAsync(cancellationToken);
            if (_pushFailing)
            {
                _output.WriteLine("demo feed: Redis is back, pushing quotes again");
                _pushFailing = false;
            }
            return true;
        }
        catch (Exception e) when (e is RedisException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            // Keep ticking: the multiplexer reconnects by itself. Say so once, not ten times a second.
            if (!_pushFailing)
            {
                _errors.WriteLine($"demo feed: pushing quotes failed ({e.Message}); dropping them until Redis answers");
                _pushFailing = true;
            }
            return false;
        }
    }
}
