using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Realtime.Quotes;

/// <summary>
/// A quote centre's Redis I/O: one hash of bars per symbol and period, the latest quote, and the set of symbols.
/// Writes are pipelined and awaited together, so a batch of quotes costs one round trip.
/// </summary>
public sealed class QuoteHistoryStore(IConnectionMultiplexer redis, QuoteStoreKeys keys, IOptions<QuoteHistoryOptions> options, QuoteMetrics metrics)
{
    public async Task<(Dictionary<string, List<Bar>> Bars, Quote? Latest, long? LiveSince)> Load(string symbol)
    {
        var db = redis.GetDatabase();
        var reads = ChartPeriod.All.ToDictionary(p => p, p => db.HashGetAllAsync(keys.Bars(symbol, p)));
        var latest = db.StringGetAsync(keys.Latest(symbol));
        var liveSince = db.StringGetAsync(keys.LiveSince(symbol));
        await Task.WhenAll(reads.Values.Cast<Task>().Append(latest).Append(liveSince));

        var bars = new Dictionary<string, List<Bar>>();
        foreach (var (period, read) in reads)
        {
            var list = new List<Bar>();
            foreach (var entry in read.Result)
            {
                if (long.TryParse(entry.Name.ToString(), out var time) && BarCodec.TryDecode(time, entry.Value, out var bar))
                {
                    list.Add(bar);
                }
            }
            list.Sort((a, b) => a.Time.CompareTo(b.Time));
            bars[period] = list;
        }
        var quote = latest.Result.IsNullOrEmpty ? null : JsonSerializer.Deserialize<Quote>(latest.Result.ToString());
        return (bars, quote, long.TryParse(liveSince.Result.ToString(), out var since) ? since : null);
    }

    /// <summary>
    /// Saves changed bars, drops evicted ones and records the latest quote, in one pipelined round trip; with
    /// <paramref name="liveSince"/>, also the time of the first quote, unless one is recorded already.
    /// </summary>
    public async Task Save(string symbol, IEnumerable<PeriodBar> changed, IEnumerable<(string Period, long Time)> evicted, Quote? latest, long? liveSince = null)
    {
        var db = redis.GetDatabase();
        var batch = db.CreateBatch();
        var writes = new List<Task>();
        foreach (var group in changed.GroupBy(c => c.Period))
        {
            writes.Add(batch.HashSetAsync(keys.Bars(symbol, group.Key),
                group.Select(c => new HashEntry(c.Bar.Time, BarCodec.Encode(c.Bar))).ToArray()));
        }
        foreach (var group in evicted.GroupBy(e => e.Period))
        {
            writes.Add(batch.HashDeleteAsync(keys.Bars(symbol, group.Key), group.Select(e => (RedisValue)e.Time).ToArray()));
        }
        if (latest is not null)
        {
            writes.Add(batch.StringSetAsync(keys.Latest(symbol), JsonSerializer.Serialize(latest)));
        }
        if (liveSince is { } since)
        {
            writes.Add(batch.StringSetAsync(keys.LiveSince(symbol), since, when: When.NotExists));
        }
        writes.Add(batch.SetAddAsync(keys.Symbols, symbol));
        batch.Execute();
        await Task.WhenAll(writes);
        if (options.Value.WaitForReplicas > 0)
        {
            // WAIT covers the writes of the connection it is sent on: the process's one multiplexed connection, which
            // carried this batch (and whatever else the silo wrote before it).
            var replicas = options.Value.WaitForReplicas;
            var acknowledged = (long)await db.ExecuteAsync("WAIT", replicas, options.Value.WaitForReplicasMilliseconds);
            if (acknowledged < replicas)
            {
                metrics.Unreplicated.Add(1);
            }
        }
    }

    /// <summary>Replaces a period's whole history (after a backfill merged into it).</summary>
    public async Task Replace(string symbol, string period, IReadOnlyList<Bar> bars)
    {
        var transaction = redis.GetDatabase().CreateTransaction();
        var key = keys.Bars(symbol, period);
        _ = transaction.KeyDeleteAsync(key);
        if (bars.Count > 0)
        {
            _ = transaction.HashSetAsync(key, bars.Select(b => new HashEntry(b.Time, BarCodec.Encode(b))).ToArray());
        }
        _ = transaction.SetAddAsync(keys.Symbols, symbol);
        await transaction.ExecuteAsync();
    }

    /// <summary>Drops bars of one period (those beyond the history kept).</summary>
    public Task Forget(string symbol, string period, IEnumerable<long> times) =>
        redis.GetDatabase().HashDeleteAsync(keys.Bars(symbol, period), [.. times.Select(t => (RedisValue)t)]);

    /// <summary>Whether the symbol ever had a quote or history (without activating its quote centre).</summary>
    public Task<bool> IsKnown(string symbol) => redis.GetDatabase().SetContainsAsync(keys.Symbols, symbol);

    public async Task<string[]> Symbols() =>
        [.. (await redis.GetDatabase().SetMembersAsync(keys.Symbols)).Select(s => s.ToString()).Order(StringComparer.Ordinal)];
}
