using StackExchange.Redis;

namespace Realtime.QuoteFeed.Demo;

/// <summary>Connects to Redis, letting StackExchange.Redis retry for a while before the command gives up.</summary>
internal static class RedisConnector
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>A connected multiplexer, or null when Redis did not answer within <paramref name="timeout"/> or the wait was cancelled.</summary>
    public static async Task<ConnectionMultiplexer?> Connect(string configuration, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        var redis = await ConnectionMultiplexer.ConnectAsync(options);
        var deadline = DateTime.UtcNow + timeout;
        try
        {
            while (!redis.IsConnected && DateTime.UtcNow < deadline)
            {
                await Task.Delay(PollInterval, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }

        if (redis.IsConnected)
        {
            return redis;
        }
        await redis.DisposeAsync();
        return null;
    }

    /// <summary>The endpoints of a connection string, for messages: the string itself may hold a password.</summary>
    public static string Describe(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.SetDefaultPorts();
        return string.Join(",", options.EndPoints.Select(Format));
    }

    private static string Format(System.Net.EndPoint endpoint) => endpoint switch
    {
        System.Net.DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        _ => endpoint.ToString() ?? "",
    };
}
