using StackExchange.Redis;

namespace Realtime.Hosting;

/// <summary>Builds StackExchange.Redis settings that survive a Redis restart instead of failing the process.</summary>
public static class RedisConnection
{
    public static ConfigurationOptions Configure(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.ConnectRetry = Math.Max(options.ConnectRetry, 5);
        return options;
    }

    public static IConnectionMultiplexer Connect(string connectionString) => ConnectionMultiplexer.Connect(Configure(connectionString));
}
