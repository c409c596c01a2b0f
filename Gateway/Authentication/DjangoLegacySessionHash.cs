using System.Security.Cryptography;
using System.Text;

namespace Realtime.Gateway.Authentication;

/// <summary>
/// The pre-3.1 session format (<c>SessionBase._legacy_decode</c>): standard base64 of
/// <c>hexdigest + ":" + JSON</c>, where hexdigest is <c>salted_hmac(key_salt, JSON)</c> with SHA-1.
/// Sessions written before an upgrade to Django 3.1 stay readable until they expire.
/// </summary>
internal sealed class DjangoLegacySessionHash
{
    private const string ModernSaltPrefix = "django.contrib.sessions.";
    private const int HexDigestLength = 40;

    private readonly byte[][] hmacKeys;

    public DjangoLegacySessionHash(string sessionSalt, IEnumerable<string> secrets)
    {
        // Django's legacy key_salt is "django.contrib.sessions" + class name with no dot in between,
        // while the modern salt has one: derive the former from the latter.
        var keySalt = sessionSalt.StartsWith(ModernSaltPrefix, StringComparison.Ordinal)
            ? "django.contrib.sessions" + sessionSalt[ModernSaltPrefix.Length..]
            : sessionSalt;

        // salted_hmac: key = sha1(key_salt + secret).digest().
        hmacKeys = [.. secrets.Select(secret => SHA1.HashData(Encoding.UTF8.GetBytes(keySalt + secret)))];
    }

    public DjangoSignatureCheck Verify(string value, out byte[]? serialized)
    {
        serialized = null;
        var decoded = new byte[((value.Length / 4) + 1) * 3];
        if (!Convert.TryFromBase64String(value, decoded, out var length))
        {
            return DjangoSignatureCheck.Malformed;
        }

        var data = decoded.AsSpan(0, length);
        var colon = data.IndexOf((byte)':');
        if (colon != HexDigestLength)
        {
            return DjangoSignatureCheck.Malformed;
        }

        var given = data[..colon];
        var json = data[(colon + 1)..];
        foreach (var hmacKey in hmacKeys)
        {
            // Django compares against the lowercase hexdigest text, so uppercase hex must fail too.
            var expected = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(HMACSHA1.HashData(hmacKey, json)));
            if (CryptographicOperations.FixedTimeEquals(given, expected))
            {
                serialized = json.ToArray();
                return DjangoSignatureCheck.Valid;
            }
        }

        return DjangoSignatureCheck.Mismatch;
    }
}
