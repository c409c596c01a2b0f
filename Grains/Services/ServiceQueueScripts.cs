using StackExchange.Redis;

namespace Realtime.Services;

/// <summary>
/// The Lua that makes taking and giving back messages atomic. Lists keep producers' order: newest at the left
/// (LPUSH), oldest at the right. A processing list has the same orientation, so giving it back is one RPUSH.
/// </summary>
internal static class ServiceQueueScripts
{
    /// <summary>
    /// Moves up to count oldest messages into the processing list and returns them oldest first. With done = 1
    /// the processing list is first emptied: its batch was handled, and the acknowledgement rides on this round trip.
    /// </summary>
    public static readonly LuaScript Take = LuaScript.Prepare("""
        if tonumber(@done) == 1 then redis.call('DEL', @processing) end
        local items = redis.call('LRANGE', @queue, -tonumber(@count), -1)
        local n = #items
        if n == 0 then return items end
        redis.call('LTRIM', @queue, 0, -n - 1)
        local oldestFirst = {}
        for i = n, 1, -1 do oldestFirst[#oldestFirst + 1] = items[i] end
        for i = 1, n, 1000 do
            redis.call('LPUSH', @processing, unpack(oldestFirst, i, math.min(i + 999, n)))
        end
        return oldestFirst
        """);

    /// <summary>
    /// Gives a processing list back to the right (oldest) end of its queue, so recovered messages are the next
    /// ones taken; returns how many moved.
    /// </summary>
    public static readonly LuaScript GiveBack = LuaScript.Prepare("""
        local items = redis.call('LRANGE', @processing, 0, -1)
        local n = #items
        for i = 1, n, 1000 do
            redis.call('RPUSH', @queue, unpack(items, i, math.min(i + 999, n)))
        end
        redis.call('DEL', @processing)
        return n
        """);

    public static Task<RedisResult> TakeAsync(IDatabaseAsync db, string queue, string processing, int count, bool previousDone) =>
        Take.EvaluateAsync(db, new { queue = (RedisKey)queue, processing = (RedisKey)processing, count, done = previousDone ? 1 : 0 });

    public static async Task<int> GiveBackAsync(IDatabaseAsync db, string queue, string processing) =>
        (int)await GiveBack.EvaluateAsync(db, new { queue = (RedisKey)queue, processing = (RedisKey)processing });
}
