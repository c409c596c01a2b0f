using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace Realtime.Bench.Sessions;

/// <summary>
/// Logs the generator's clients in the way a Django site would: one signed session per client, stored in Redis by
/// django-redis-sessions (empty prefix), each for a user of its own. Written from Django's <c>signing</c> module,
/// not from the gateway's code, so a login that works is a check of both.
/// </summary>
public sealed class DjangoSessionWriter(string secretKey, string salt = "django.contrib.sessions.SessionStore")
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const int BatchSize = 1000;

    // Django's salted_hmac: the HMAC key is sha256(key_salt + secret) with key_salt = salt + "signer".
    private readonly byte[] _hmacKey = SHA256.HashData(Encoding.UTF8.GetBytes(salt + "signer" + secretKey));

    /// <summary>The session id of client <paramref name="client"/>: Django's 32 characters of [a-z0-9].</summary>
    public static string SessionKey(int client) => $"bench{client:D27}";

    /// <summary>The user id client <paramref name="client"/> logs in as.</summary>
    public static string UserId(int client) => (1_000_000 + client).ToString();

    /// <summary>Django's <c>TimestampSigner.sign_object</c> of <c>{"_auth_user_id": userId}</c> (too short to compress).</summary>
    public string Sign(string userId, DateTimeOffset now)
    {
        var json = Encoding.UTF8.GetBytes($"{{\"_auth_user_id\":\"{userId}\"}}");
        var value = Base64Url.EncodeToString(json) + ":" + EncodeBase62(now.ToUnixTimeSeconds());
        return value + ":" + Base64Url.EncodeToString(HMACSHA256.HashData(_hmacKey, Encoding.UTF8.GetBytes(value)));
    }

    /// <summary>
    /// Stores the sessions of clients <paramref name="firstClient"/> to <paramref name="firstClient"/> +
    /// <paramref name="count"/> - 1, pipelined, with an hour to live.
    /// </summary>
    public async Task StoreClients(IDatabase redis, int count, int firstClient = 0)
    {
        var now = DateTimeOffset.UtcNow;
        var end = firstClient + count;
        for (var first = firstClient; first < end; first += BatchSize)
        {
            var writes = Enumerable.Range(first, Math.Min(BatchSize, end - first))
                .Select(client => redis.StringSetAsync(SessionKey(client), Sign(UserId(client), now), TimeSpan.FromHours(1)));
            await Task.WhenAll(writes);
        }
    }

    private static string EncodeBase62(long value)
    {
        if (value == 0)
        {
            return "0";
        }
        var digits = new StringBuilder();
        for (; value > 0; value /= 62)
        {
            digits.Insert(0, Base62[(int)(value % 62)]);
        }
        return digits.ToString();
    }
}
