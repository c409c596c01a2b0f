using System.Text.Json;
using StackExchange.Redis;

namespace Realtime.Services;

/// <summary>
/// Pushes <c>{type, src, data}</c> messages onto a service queue, as any backend program would with LPUSH.
/// The demo feed, the benchmark and the tests use it; a process may push to any other process's queue.
/// </summary>
public sealed class ServiceQueueClient(IConnectionMultiplexer redis, string source)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public Task<long> Push<TData>(string queue, string type, TData data) =>
        redis.GetDatabase().ListLeftPushAsync(queue, Encode(type, data));

    /// <summary>Pushes many messages in one round trip, oldest first.</summary>
    public Task<long> PushMany<TData>(string queue, string type, IEnumerable<TData> data) =>
        redis.GetDatabase().ListLeftPushAsync(queue, data.Select(d => (RedisValue)Encode(type, d)).ToArray());

    public string Encode<TData>(string type, TData data) =>
        JsonSerializer.Serialize(new { type, src = source, data }, JsonOptions);
}
