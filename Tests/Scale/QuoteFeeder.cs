using System.Text.Json;
using StackExchange.Redis;

namespace Realtime.Tests.Scale;

/// <summary>
/// Pushes one quote every 50 ms with a rising, unique price, retrying a push that fails (Redis restarting) with the
/// same quote, as a careful producer would. Counts what it pushed so the test can check nothing was lost.
/// </summary>
public sealed class QuoteFeeder(IConnectionMultiplexer redis, string queue, string symbol) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task<(int Pushed, double LastPrice)> _loop = Task.FromResult((0, 0.0));

    public void Start() => _loop = Run(_stop.Token);

    public async Task<(int Pushed, double LastPrice)> Stop()
    {
        await _stop.CancelAsync();
        return await _loop;
    }

    private async Task<(int, double)> Run(CancellationToken stop)
    {
        var pushed = 0;
        var lastPushed = 0.0;
        var start = Infrastructure.Quotes.T0 + 30 * 60_000L;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        // Bounded: at 20 quotes a second this stays inside the hour bar the test checks.
        while (pushed < 20 * 60 * 25 && !stop.IsCancellationRequested)
        {
            var price = Math.Round(200 + pushed * 0.01, 2);
            var message = JsonSerializer.Serialize(new { type = "quote", src = "scale-test", data = new { symbol, price, volume = 1, time = start + pushed * 50L } });
            try
            {
                await redis.GetDatabase().ListLeftPushAsync(queue, message);
                pushed++;
                lastPushed = price;
            }
            catch (RedisException)
            {
                // Redis is restarting; the same quote goes again on the next tick.
            }
            try
            {
                await timer.WaitForNextTickAsync(stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return (pushed, lastPushed);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
