using System.Buffers.Text;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Realtime.Gateway.Authentication;

/// <summary>
/// Writes session values as Django 3.1+ does (<c>SessionBase.encode</c>: <c>signing.dumps(session, salt,
/// JSONSerializer, compress=True)</c>), so a session made here is indistinguishable from one the Django site made.
/// The gateway only uses it for the demo login; <see cref="DjangoSessionDecoder"/> reads what it writes.
/// </summary>
public sealed class DjangoSessionEncoder
{
    /// <summary>django.contrib.auth.BACKEND_SESSION_KEY, and the backend a default Django site logs users in with.</summary>
    public const string BackendKey = "_auth_user_backend";

    public const string ModelBackend = "django.contrib.auth.backends.ModelBackend";

    // Django's get_random_string(32, VALID_KEY_CHARS) for new session keys.
    private const string SessionKeyAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const int SessionKeyLength = 32;

    private readonly DjangoSigner signer;

    public DjangoSessionEncoder(DjangoSessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Messages name the setting, never its value.
        if (string.IsNullOrEmpty(options.SecretKey))
        {
            throw new ArgumentException("DjangoSessionOptions.SecretKey must be set.", nameof(options));
        }
        if (string.IsNullOrEmpty(options.SessionSalt))
        {
            throw new ArgumentException("DjangoSessionOptions.SessionSalt must be set.", nameof(options));
        }

        // Django signs with the current SECRET_KEY only; the fallbacks are for reading.
        signer = new DjangoSigner(options.SecretKey, options.SessionSalt);
    }

    /// <summary>A fresh session key as Django makes them: 32 random characters of [a-z0-9] from a cryptographic source.</summary>
    public static string NewSessionKey() => RandomNumberGenerator.GetString(SessionKeyAlphabet, SessionKeyLength);

    /// <summary>The session <c>django.contrib.auth.login</c> leaves for <paramref name="userId"/> (without the password hash, which only Django checks).</summary>
    public string EncodeLogin(string userId, DateTimeOffset timestamp)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return Encode([new(DjangoSessionUser.UserIdKey, userId), new(BackendKey, ModelBackend)], timestamp);
    }

    /// <summary>
    /// <c>TimestampSigner.sign_object(session, compress=True)</c>: compact JSON, zlib-compressed (and marked by a leading
    /// dot) only when that saves more than one byte, URL-safe base64, then <c>:timestamp:signature</c>.
    /// </summary>
    public string Encode(IEnumerable<KeyValuePair<string, string>> session, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(session);
        // Pure ASCII: the serializer escapes everything else, as Python's ensure_ascii does.
        var json = Encoding.ASCII.GetBytes(DjangoSessionJson.Serialize(session));
        var compressed = Compress(json);
        var payload = compressed.Length < json.Length - 1
            ? "." + Base64Url.EncodeToString(compressed)
            : Base64Url.EncodeToString(json);
        return signer.SignWithTimestamp(payload, timestamp);
    }

    // zlib.compress(data) at Python's default level 6, which .NET calls Optimal.
    private static byte[] Compress(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal))
        {
            zlib.Write(data);
        }
        return output.ToArray();
    }
}
