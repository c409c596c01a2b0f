using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Realtime.Bench.Peer;

/// <summary>
/// Pops the service queue and sends each quote, as the producer wrote it, to the SignalR group of its symbol: what a
/// .NET team would write on this stack. A blocking pop (on a connection of its own: it would stall every other
/// command on the shared one) waits for work, then one RPOP with a count takes whatever else is queued, and the
/// batch's sends go out together. Without the batch pop the peer would be limited by round trips, not by SignalR.
/// </summary>
internal sealed class QuoteQueuePump(IHubContext<QuoteHub> hub, IConnectionMultiplexer redis, IOptions<PeerOptions> options, ILogger<QuoteQueuePump> logger)
    : BackgroundService
{
    private const int BlockSeconds = 1;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        await using var waiter = await ConnectionMultiplexer.ConnectAsync(settings.Redis);
        var db = redis.GetDatabase();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var popped = await waiter.GetDatabase().ExecuteAsync("BRPOP", settings.Queue, BlockSeconds);
                if (popped.IsNull)
                {
                    continue;
                }
                var rest = await db.ListRightPopAsync(settings.Queue, settings.BatchSize - 1);
                await Task.WhenAll(new[] { (string)popped[1]! }.Concat(rest.Select(r => r.ToString())).Select(Forward));
            }
            catch (Exception e) when (e is RedisException or JsonException && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Pump of {Queue} failed: {Error}", settings.Queue, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(100), stoppingToken);
            }
        }
    }

    private Task Forward(string message)
    {
        using var document = JsonDocument.Parse(message);
        var root = document.RootElement;
        if (root.GetProperty("type").GetString() != "quote")
        {
            return Task.CompletedTask;
        }
        var quote = root.GetProperty("data").Clone();
        return hub.Clients.Group(quote.GetProperty("symbol").GetString()!).SendAsync(QuoteHub.QuoteMethod, quote);
    }
}
