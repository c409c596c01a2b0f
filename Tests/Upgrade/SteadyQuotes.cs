using Realtime.Services;
using StackExchange.Redis;

namespace Realtime.Tests.Upgrade;

/// <summary>
/// A producer that pushes one quote of each symbol (volume 1) onto the service queue every 100 ms, 100 ms of market
/// time apart, until stopped, and counts what it pushed so the test can tell a quote lost or applied twice.
/// </summary>
public sealed class SteadyQuotes(IConnectionMultiplexer redis, string queue, string[] symbols, long start) : IAsyncDisposable
{
    // At ten ticks a second this stays inside the market day the test's day bars hold, and under 1,000 minute bars.
    private const int MaxTicks = 10 * 60 * 15;

    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, long> _pushed = symbols.ToDictionary(s => s, _ => 0L);
    private Task _loop = Task.CompletedTask;

    /// <summary>Quotes pushed so far, per symbol.</summary>
    public IReadOnlyDictionary<string, long> Pushed
    {
        get
        {
            lock (_pushed)
            {
                return new Dictionary<string, long>(_pushed);
            }
        }
    }

    public void Start() => _loop = Run(_stop.Token);

    public async Task Stop()
    {
        await _stop.CancelAsync();
        await _loop;
    }

    private async Task Run(CancellationToken stop)
    {
        var client = new ServiceQueueClient(redis, "upgrade-test");
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        for (var n = 0; n < MaxTicks && !stop.IsCancellationRequested; n++)
        {
            var tick = n;
            await client.PushMany(queue, "quote", symbols.Select((symbol, k) => new { symbol, price = 150 + k + tick % 17 * 0.25, volume = 1, time = start + tick * 100L }));
            lock (_pushed)
            {
                foreach (var symbol in symbols)
                {
                    _pushed[symbol]++;
                }
            }
            try
            {
                await pace.WaitForNextTickAsync(stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Stop();
        _stop.Dispose();
    }
}
