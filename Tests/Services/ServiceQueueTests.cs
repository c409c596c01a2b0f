using System.Text.Json;
using Realtime.Services;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Services;

/// <summary>The service path against real Redis: redis-cli in, WebSocket out, bad messages into the dead-letter list.</summary>
public sealed class ServiceQueueTests : IAsyncLifetime
{
    private readonly RealtimeCluster _cluster = new(RedisServer.Shared);
    private Microsoft.AspNetCore.Builder.WebApplication _gateway = null!;

    public async Task InitializeAsync()
    {
        await _cluster.StartSilo();
        _gateway = await _cluster.StartGateway();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private ServiceQueueKeys Keys => new(_cluster.Queue);

    [Fact]
    public async Task A_message_pushed_with_redis_cli_reaches_the_connected_user()
    {
        await using var client = await Connected.As(_cluster, _gateway, "signed-small");

        await RedisCli.Run(_cluster.Redis, "LPUSH", _cluster.Queue,
            """{"type":"site","src":"django","data":{"action":"push","users":[42],"message":{"type":"notice","data":{"text":"from redis-cli"}}}}""");

        Assert.Equal("from redis-cli", (await client.Next("notice")).GetProperty("data").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Messages_are_delivered_oldest_first()
    {
        await using var client = await Connected.As(_cluster, _gateway, "signed-small");

        await PushNumbered(200);

        for (var n = 0; n < 200; n++)
        {
            Assert.Equal(n, (await client.Next("seq")).GetProperty("data").GetProperty("n").GetInt32());
        }
    }

    [Fact]
    public async Task Handled_messages_leave_no_trace_in_the_processing_lists()
    {
        await using var client = await Connected.As(_cluster, _gateway, "signed-small");
        await PushNumbered(50);
        for (var n = 0; n < 50; n++)
        {
            await client.Next("seq");
        }

        // A handled batch is acknowledged by the pump's next take; a list left behind would be delivered again on
        // every recovery.
        await Eventually.True(async () =>
        {
            var consumers = await _cluster.Redis.Database.SetMembersAsync(Keys.Consumers);
            var lengths = await Task.WhenAll(consumers.Select(c => _cluster.Redis.Database.ListLengthAsync(Keys.Processing(c!))));
            return consumers.Length == 1 && lengths.All(l => l == 0);
        }, "the pump's processing list is empty once its messages were handled");
    }

    public static TheoryData<string, string> MalformedMessages() => new()
    {
        { "this is not json", "not JSON" },
        { "[1,2]", "not a JSON object" },
        { """{"src":"x","data":{}}""", "no 'type' string" },
        { """{"type":42}""", "no 'type' string" },
        { """{"type":"site","src":5,"data":{}}""", "'src' must be a string" },
        { """{"type":"no-such-service","data":{}}""", "unknown type 'no-such-service'" },
        { """{"type":"site","data":"push"}""", "site: 'data' must be an object" },
        { """{"type":"site","data":{"action":"explode"}}""", "site: 'data.action' must be push, broadcast or logout, not 'explode'" },
        { """{"type":"site","data":{"action":"push","users":[],"message":{"type":"x"}}}""", "site: 'data.users' must hold 1 to" },
        { """{"type":"site","data":{"action":"push","users":["1"]}}""", "site: 'data.message' must be an object" },
        { """{"type":"site","data":{"action":"push","users":[{"id":1}],"message":{"type":"x"}}}""", "site: 'data.users[0]' must be a user id" },
        { """{"type":"site","data":{"action":"push","users":["1"],"instance":["x"],"message":{"type":"x"}}}""", "site: 'data.instance' is not a field here" },
        { """{"type":"site","data":{"action":"push","users":["1"],"message":{"type":"x","id":[1]}}}""", "site: 'data.message.id' must be a string or number" },
        { """{"type":"site","data":{"action":"logout"}}""", "site: 'data.users' must be an array" },
    };

    [Theory]
    [MemberData(nameof(MalformedMessages))]
    public async Task A_malformed_message_lands_in_the_dead_letter_list_with_its_reason_and_the_pump_goes_on(string raw, string reason)
    {
        await using var client = await Connected.As(_cluster, _gateway, "signed-small");
        var marker = Guid.NewGuid().ToString("N");

        await _cluster.Redis.Database.ListLeftPushAsync(_cluster.Queue, raw);
        await SiteMessages.Push(_cluster, ["42"], "after", new { marker });

        Assert.Equal(marker, (await client.Next("after")).GetProperty("data").GetProperty("marker").GetString());
        var letter = await DeadLetters.WaitFor(_cluster, raw);
        Assert.StartsWith(reason, letter.GetProperty("reason").GetString());
        Assert.Equal(_cluster.Queue, letter.GetProperty("queue").GetString());
    }

    [Fact]
    public async Task The_dead_letter_list_is_capped()
    {
        await using var cluster = new RealtimeCluster(RedisServer.Shared);
        await cluster.StartSilo(new Dictionary<string, string?> { ["ServiceQueue:DeadLetterCap"] = "10" });
        var keys = new ServiceQueueKeys(cluster.Queue);

        await cluster.Redis.Database.ListLeftPushAsync(cluster.Queue, Enumerable.Range(0, 25).Select(i => (StackExchange.Redis.RedisValue)$"junk {i}").ToArray());

        // Drained from the queue is not yet handled: wait until the pump has dead-lettered all 25, then count what is kept.
        var pump = cluster.Grains.GetGrain<IServiceQueuePumpGrain>(cluster.Queue);
        await Eventually.True(async () => (await pump.GetStatus()).DeadLettered == 25, "all 25 were dead-lettered");
        Assert.Equal(10, await cluster.Redis.Database.ListLengthAsync(keys.DeadLetters));
        Assert.Contains("junk 24", (await cluster.Redis.Database.ListGetByIndexAsync(keys.DeadLetters, 0)).ToString());
    }

    [Fact]
    public async Task An_idle_pump_waits_in_redis_instead_of_polling()
    {
        var server = RedisServer.StartPrivate();
        await using (server)
        await using (var cluster = new RealtimeCluster(server))
        {
            await cluster.StartSilo();
            await Eventually.True(async () => (await CommandCalls(server, "blmove")) > 0, "the pump is waiting on its queue");

            var before = await TotalCommands(server);
            var window = System.Diagnostics.Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(3)); // a measurement window, not synchronisation
            var perSecond = (await TotalCommands(server) - before) / window.Elapsed.TotalSeconds;

            // One BLMOVE a second plus cluster membership upkeep; a polling loop would make thousands.
            Assert.True(perSecond < 30, $"{perSecond:F1} Redis commands per second while idle");
        }
    }

    private static async Task<long> TotalCommands(RedisServer server)
    {
        var info = await RedisCli.Run(server, "INFO", "stats");
        var line = info.Split('\n').First(l => l.StartsWith("total_commands_processed:"));
        return long.Parse(line.Split(':')[1].Trim());
    }

    private static async Task<long> CommandCalls(RedisServer server, string command)
    {
        var info = await RedisCli.Run(server, "INFO", "commandstats");
        var line = info.Split('\n').FirstOrDefault(l => l.StartsWith($"cmdstat_{command}:"));
        return line is null ? 0 : long.Parse(line.Split("calls=")[1].Split(',')[0]);
    }

    /// <summary>Site pushes to user 42 of <c>seq</c> frames numbered 0 to <paramref name="count"/> - 1.</summary>
    private Task PushNumbered(int count) =>
        new ServiceQueueClient(_cluster.Redis.Connection, "tests").PushMany(_cluster.Queue, "site",
            Enumerable.Range(0, count).Select(n => new { action = "push", users = new[] { "42" }, message = new { type = "seq", data = new { n } } }));
}
