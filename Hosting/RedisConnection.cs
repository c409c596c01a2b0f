using StackExchange.Redis;

namespace Realtime.Hosting;

/// <summary>Builds StackExchange.Redis settings that survive a Redis restart instead of failing the process.</summary>
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

    /// <summary>
    /// The process's one connection, which its own code and Orleans' Redis providers share. Named after the process
    /// (unless the connection string names it), so an operator's <c>CLIENT LIST</c> tells whose connection is whose.
    /// </summary>
    public static IConnectionMultiplexer Connect(string connectionString, string role)
    {
        var options = Configure(connectionString);
        options.ClientName ??= ClientName(role, Environment.ProcessId);
        return ConnectionMultiplexer.Connect(options);
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
