using StackExchange.Redis;

namespace Realtime.Bench.Scenarios;

/// <summary>Watches a service queue's length from outside, as an operator would with LLEN.</summary>
public static class QueueProbe
{
    /// <summary>Waits (bounded) until the queue is empty, then a little more for the last batch to be handled.</summary>
    public static async Task WaitDrained(IDatabase redis, string queue, TimeSpan timeout, TimeSpan settle)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (await redis.ListLengthAsync(queue) > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{queue} was not drained within {timeout}; is the server consuming it?");
            }
            await Task.Delay(20);
        }
        await Task.Delay(settle);
    }
}
