using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Realtime.Hosting;
using StackExchange.Redis;

namespace Realtime.Services;

/// <summary>
/// Drains one service queue. Messages are moved atomically into this activation's processing list and removed only
/// after dispatch, so a silo dying mid-batch loses nothing: the next activation gives every abandoned processing
/// list back to the queue before it takes anything (at-least-once delivery).
/// </summary>
/// <remarks>
/// Waiting for work uses BLMOVE with a one-second timeout on a connection of this activation's own, never on the
/// shared multiplexer, so an idle pump costs one Redis round trip a second and wakes within a millisecond or so of
/// a push. The loop awaits I/O only; it never blocks a thread.
/// </remarks>
[KeepAlive, Reentrant]
[GrainType("servicequeuepump")]
internal sealed class ServiceQueuePumpGrain(
    IConnectionMultiplexer redis,
    ServiceDispatcher dispatcher,
    IOptions<ServiceQueueOptions> options,
    ServiceMetrics metrics,
    TimeProvider clock,
    ILogger<ServiceQueuePumpGrain> logger) : Grain, IServiceQueuePumpGrain
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest wait after a failed Redis round trip. Every retry while Redis is away fails cheaply, but a wait
    /// that has grown to seconds by the time a replica is promoted (or Redis is back) is spent with the queue full:
    /// with a 5 s cap quotes flowed again 5.5 s after a Sentinel promotion, with this one 2.0-4.1 s after it (the rest
    /// is the connections switching to the new master; RedisFailoverTests).
    /// </summary>
    private static readonly TimeSpan MaxRedisBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan DepthSampleInterval = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stopping = new();
    private ServiceQueueKeys _keys = null!;
    private string _consumerId = "";
    private string _processing = "";
    private ConnectionMultiplexer? _waiter;
    private Task _loop = Task.CompletedTask;
    private long _dispatched;
    private long _deadLettered;
    private long _recovered;
    // True while the processing list holds only a batch already handled, whose removal waits for the next take.
    private bool _handledNotRemoved;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _keys = new ServiceQueueKeys(this.GetPrimaryKeyString());
        _consumerId = $"{RuntimeIdentity}/{Guid.NewGuid():N}";
        _processing = _keys.Processing(_consumerId);
        _loop = RunLoop(_stopping.Token);
        this.RegisterGrainTimer(SampleDepth, TimeSpan.Zero, DepthSampleInterval);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _loop;
        try
        {
            var db = redis.GetDatabase();
            if (_handledNotRemoved)
            {
                // Handled already: giving it back would deliver it twice on every graceful shutdown.
                await db.KeyDeleteAsync(_processing);
            }
            await ServiceQueueScripts.GiveBackAsync(db, _keys.Queue, _processing);
            await db.SetRemoveAsync(_keys.Consumers, _consumerId);
        }
        catch (Exception e)
        {
            // The next activation recovers the list from the consumers set; nothing is lost.
            logger.LogWarning("Pump of {Queue} could not hand back its processing list on shutdown: {Error}", _keys.Queue, e.Message);
        }
        if (_waiter is not null)
        {
            await _waiter.DisposeAsync();
        }
        _stopping.Dispose();
    }

    public Task EnsureRunning() => Task.CompletedTask;

    public Task<PumpStatus> GetStatus() =>
        Task.FromResult(new PumpStatus(_keys.Queue, RuntimeIdentity, _dispatched, _deadLettered, _recovered));

    private async Task RunLoop(CancellationToken stopping)
    {
        await Task.Yield();
        var db = redis.GetDatabase();
        var recovered = false;
        var failed = false;
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (!recovered)
                {
                    await RecoverAbandoned(db);
                    recovered = true;
                }
                if (failed)
                {
                    // A failed round trip may have moved messages into the processing list without this pump
                    // hearing of them: give the whole list back rather than let the next take empty it.
                    await ServiceQueueScripts.GiveBackAsync(db, _keys.Queue, _processing);
                    _handledNotRemoved = false;
                    failed = false;
                }
                // Taking the next batch also acknowledges the last one (it empties the processing list), so a busy
                // pump makes one round trip per batch; an idle one has an empty processing list while it waits.
                var batch = await Take(db, options.Value.BatchSize, previousDone: true);
                _handledNotRemoved = false;
                if (batch.Count == 0)
                {
                    batch = await WaitForWork();
                }
                if (batch.Count > 0)
                {
                    await Process(db, batch, stopping);
                    _handledNotRemoved = true;
                }
                backoff = TimeSpan.FromMilliseconds(100);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                failed = true;
                logger.LogWarning("Pump of {Queue} failed ({Error}); retrying in {Backoff}", _keys.Queue, e.Message, backoff);
                await Delay(backoff, stopping);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxRedisBackoff.Ticks));
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task SampleDepth()
    {
        try
        {
            metrics.SetDepth(_keys.Queue, await redis.GetDatabase().ListLengthAsync(_keys.Queue));
        }
        catch (RedisException)
        {
            // The loop reports Redis trouble; a missed sample only leaves the gauge at its last value.
        }
    }

    private async Task RecoverAbandoned(IDatabase db)
    {
        foreach (var consumer in await db.SetMembersAsync(_keys.Consumers))
        {
            if (consumer == _consumerId)
            {
                continue;
            }
            var moved = await ServiceQueueScripts.GiveBackAsync(db, _keys.Queue, _keys.Processing(consumer!));
            await db.SetRemoveAsync(_keys.Consumers, consumer);
            if (moved > 0)
            {
                _recovered += moved;
                metrics.Recovered.Add(moved);
                logger.LogWarning("Pump of {Queue} gave back {Count} messages abandoned by consumer {Consumer}", _keys.Queue, moved, consumer.ToString());
            }
        }
        await db.SetAddAsync(_keys.Consumers, _consumerId);
    }

    private async Task<List<string>> Take(IDatabaseAsync db, int count, bool previousDone)
    {
        var result = await ServiceQueueScripts.TakeAsync(db, _keys.Queue, _processing, count, previousDone);
        var items = (RedisValue[]?)result ?? [];
        var batch = new List<string>(items.Length);
        foreach (var item in items)
        {
            batch.Add(item!);
        }
        return batch;
    }

    private async Task<List<string>> WaitForWork()
    {
        _waiter ??= await ConnectWaiter(WaiterConfiguration());
        var first = await _waiter.GetDatabase().ExecuteAsync("BLMOVE", _keys.Queue, _processing, "RIGHT", "LEFT", "1");
        if (first.IsNull)
        {
            return [];
        }
        // Handled at once rather than after another round trip for what came with it: on a quiet queue that round
        // trip would be on every message's way to the browser, and the next take (which acknowledges this one)
        // brings the rest.
        return [(string)first!];
    }

    /// <summary>
    /// Through Sentinel the library finds the master synchronously (it asks the sentinels, connects, checks the role
    /// and sleeps between tries), which must not happen on this grain's turn: it runs on the thread pool instead, and
    /// the connection it returns follows failovers as the shared one does.
    /// </summary>
    private static Task<ConnectionMultiplexer> ConnectWaiter(ConfigurationOptions configuration) =>
        RedisConnection.IsSentinel(configuration)
            ? Task.Run(() => ConnectionMultiplexer.ConnectAsync(configuration))
            : ConnectionMultiplexer.ConnectAsync(configuration);

    private ConfigurationOptions WaiterConfiguration()
    {
        // The shared connection's own settings, which keep serviceName and the sentinels when it was made through them.
        var configuration = ConfigurationOptions.Parse(redis.Configuration);
        configuration.ClientName = $"pump:{_keys.Queue}";
        configuration.AbortOnConnectFail = false;
        configuration.AsyncTimeout = 10_000;
        // It only ever waits on the list: no second socket for subscriptions.
        configuration.CommandMap = CommandMap.Create(["SUBSCRIBE"], available: false);
        return configuration;
    }

    private async Task Process(IDatabase db, List<string> batch, CancellationToken stopping)
    {
        var deadLetters = new List<(string Raw, string Reason)>();
        IReadOnlyList<string> pending = batch;
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            var outcomes = await dispatcher.Dispatch(pending, stopping);
            var failed = new List<string>();
            for (var i = 0; i < outcomes.Length; i++)
            {
                switch (outcomes[i])
                {
                    case { IsDelivered: true }:
                        _dispatched++;
                        break;
                    case { RejectReason: { } reason }:
                        deadLetters.Add((pending[i], reason));
                        break;
                    case null when attempt >= options.Value.MaxAttempts:
                        deadLetters.Add((pending[i], $"handler failed {attempt} times"));
                        break;
                    default:
                        failed.Add(pending[i]);
                        break;
                }
            }
            pending = failed;
            if (pending.Count > 0)
            {
                await Delay(TimeSpan.FromMilliseconds(Math.Min(100 * (1 << Math.Min(attempt - 1, 10)), MaxBackoff.TotalMilliseconds)), stopping);
            }
        }

        metrics.Dispatched.Add(batch.Count - deadLetters.Count);
        if (deadLetters.Count > 0)
        {
            await DeadLetterList.Add(db, _keys, deadLetters, options.Value.DeadLetterCap, clock.GetUtcNow());
            // Counted once stored, so the pump's status never reports a dead letter the list does not hold yet.
            _deadLettered += deadLetters.Count;
            metrics.DeadLettered.Add(deadLetters.Count);
        }
        // The batch is done, but its processing list is emptied only by the next take (or the hand-back on
        // shutdown): a crash before then leaves it for recovery, and at-least-once delivery allows the repeat.
    }

    private static async Task Delay(TimeSpan delay, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(delay, stopping);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
