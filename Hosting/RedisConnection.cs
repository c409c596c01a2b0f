using StackExchange.Redis;

namespace Realtime.Hosting;

/// <summary>
/// Builds StackExchange.Redis settings that survive a Redis restart, or a Sentinel failover, instead of failing the
/// process.
/// </summary>
/// <remarks>
/// A connection string with <c>serviceName=NAME</c> names Sentinel endpoints (port 26379 unless given): the library
/// asks them for the master of NAME, connects to it, and follows every promotion Sentinel announces
/// (<c>+switch-master</c>), re-asking once a second while the master it knows is unreachable. Every Redis user of the
/// process shares that one managed connection, so membership, grain state, queues and sessions move together.
/// </remarks>
public static class RedisConnection
{
    /// <summary>First delay before reconnecting after a lost or failed connection; it doubles up to <see cref="MaxReconnectDelay"/>.</summary>
    public static readonly TimeSpan FirstReconnectDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The longest wait between reconnect attempts. The library's default grows to 10 s and more, and while a gateway
    /// waits it can check no session: after Redis returns, users would wait that long for nothing.
    /// </summary>
    public static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(5);

    public static ConfigurationOptions Configure(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        // Never give up: a Redis that is down at start, or lost later, is connected in the background as soon as it
        // answers (with false the first failure would throw and the process would have to be restarted).
        options.AbortOnConnectFail = false;
        options.ConnectRetry = Math.Max(options.ConnectRetry, 5);
        options.ReconnectRetryPolicy = new ExponentialRetry((int)FirstReconnectDelay.TotalMilliseconds, (int)MaxReconnectDelay.TotalMilliseconds);
        return options;
    }

    /// <summary>Whether the connection string names a Sentinel service rather than Redis servers.</summary>
    public static bool IsSentinel(ConfigurationOptions options) => !string.IsNullOrEmpty(options.ServiceName);

    /// <summary>
    /// The process's one connection, which its own code and Orleans' Redis providers share. Named after the process
    /// (unless the connection string names it), so an operator's <c>CLIENT LIST</c> tells whose connection is whose.
    /// </summary>
    public static IConnectionMultiplexer Connect(string connectionString, string role)
    {
        var options = Configure(connectionString);
        options.ClientName ??= ClientName(role, Environment.ProcessId);
        var redis = IsSentinel(options) ? ConnectThroughSentinel(options, role) : ConnectionMultiplexer.Connect(options);
        RefuseRedisCluster(redis);
        return redis;
    }

    /// <summary>
    /// Unlike a plain connection, which connects in the background, the library's Sentinel connect fails at once when
    /// no sentinel names a master it can reach (all sentinels down, or a failover under way). Tried again until it
    /// works, so a process started during a failover waits for it instead of exiting; said once, on stderr, because
    /// logging is not up yet.
    /// </summary>
    private static ConnectionMultiplexer ConnectThroughSentinel(ConfigurationOptions options, string role)
    {
        var delay = FirstReconnectDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return ConnectionMultiplexer.Connect(options);
            }
            catch (RedisConnectionException e)
            {
                if (attempt == 1)
                {
                    Console.Error.WriteLine($"warn: the {role} found no Redis master through Sentinel service '{options.ServiceName}' ({e.Message}); trying again until one answers");
                }
                Thread.Sleep(delay);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxReconnectDelay.Ticks));
            }
        }
    }

    /// <summary>
    /// Redis Cluster is not supported: the service queue moves messages between lists atomically (BLMOVE and Lua
    /// scripts over the queue and a pump's processing list), which Redis Cluster refuses across hash slots. Said at
    /// start-up in one line rather than as CROSSSLOT errors at the first message.
    /// </summary>
    private static void RefuseRedisCluster(IConnectionMultiplexer redis)
    {
        if (redis.GetServers().Any(s => s.IsConnected && s.ServerType == ServerType.Cluster))
        {
            redis.Dispose();
            throw new StartupConfigurationException("Cluster:Redis names a Redis Cluster, which is not supported (the service queue moves messages between keys that Redis Cluster would put in different slots); use one Redis master, with replicas and Sentinel for failover");
        }
    }

    /// <summary>How this process's connection is named in Redis: <c>realtime-silo-4242</c>, <c>realtime-gateway-4243</c>.</summary>
    public static string ClientName(string role, int processId) => $"realtime-{role}-{processId}";

    /// <summary>
    /// Hands an Orleans Redis provider the process's one connection instead of letting it open its own; marked shared,
    /// so the provider never disposes it (the container does, when the process ends).
    /// </summary>
    public static Func<TOptions, Task<(IConnectionMultiplexer Multiplexer, bool IsShared)>> Shared<TOptions>(IConnectionMultiplexer redis) =>
        _ => Task.FromResult((redis, true));
}
