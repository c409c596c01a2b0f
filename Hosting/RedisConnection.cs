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

    public static IConnectionMultiplexer Connect(string connectionString) => ConnectionMultiplexer.Connect(Configure(connectionString));
}
