using System.Text.Json;

namespace Realtime.Tests.Infrastructure;

/// <summary>The reference sessions of Tests/Fixtures/django-session, stored into Redis as a Django site would.</summary>
public static class DjangoSessions
{
    private static readonly Lazy<JsonElement> Reference = new(() =>
        JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Fixture("django-session/sessions.json"))).RootElement);

    public static JsonElement Root => Reference.Value;

    public static IEnumerable<JsonElement> All => Root.GetProperty("sessions").EnumerateArray();

    public static JsonElement Named(string name) => All.First(s => s.GetProperty("name").GetString() == name);

    /// <summary>Stores the named session under its key (django-redis-sessions with an empty prefix) and returns the key.</summary>
    public static async Task<string> Store(RedisServer redis, string name)
    {
        var session = Named(name);
        var key = session.GetProperty("session_key").GetString()!;
        await redis.Database.StringSetAsync(key, session.GetProperty("value").GetString(), TimeSpan.FromMinutes(10));
        return key;
    }

    public static async Task StoreAll(RedisServer redis)
    {
        foreach (var session in All)
        {
            await Store(redis, session.GetProperty("name").GetString()!);
        }
    }

    /// <summary>
    /// Logs <paramref name="userId"/> in as the Django site would (a new session signed with the test clusters'
    /// secret key) and returns the session key: for scenarios that need more users than the reference sessions hold.
    /// </summary>
    public static async Task<string> StoreLogin(RedisServer redis, string userId)
    {
        var encoder = new Realtime.Gateway.Authentication.DjangoSessionEncoder(new() { SecretKey = RealtimeCluster.DjangoSecretKey });
        var key = Realtime.Gateway.Authentication.DjangoSessionEncoder.NewSessionKey();
        await redis.Database.StringSetAsync(key, encoder.EncodeLogin(userId, DateTimeOffset.UtcNow), TimeSpan.FromMinutes(10));
        return key;
    }
}
