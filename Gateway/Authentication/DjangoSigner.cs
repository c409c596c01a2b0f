using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Realtime.Gateway.Authentication;

/// <summary>
/// Byte-exact port of Django's <c>django.core.signing.Signer</c> and <c>TimestampSigner</c> with the
/// default SHA-256 algorithm: signature = urlsafe-base64 (no padding) of
/// HMAC-SHA256(key: SHA256(salt + "signer" + secret), message: value).
/// </summary>
public sealed class DjangoSigner
{
    /// <summary>Django's default: <c>module + "." + class name</c> of <c>Signer</c>.</summary>
    public const string DefaultSalt = "django.core.signing.Signer";

    public const string DefaultSeparator = ":";

    // Base64 of a 32-byte digest without padding. Anything else cannot be one of our signatures.
    private const int SignatureLength = 43;

    // Derived HMAC keys, current key first, then the fallbacks in configured order (as Django tries them).
    private readonly byte[][] hmacKeys;
    private readonly string separator;

    public DjangoSigner(
        string key,
        string salt = DefaultSalt,
        string separator = DefaultSeparator,
        IEnumerable<string>? fallbackKeys = null)
        : this(
            Encoding.UTF8.GetBytes(key ?? throw new ArgumentNullException(nameof(key))),
            salt,
            separator,
            fallbackKeys?.Select(fallback => Encoding.UTF8.GetBytes(fallback)))
    {
    }

    public DjangoSigner(
        byte[] key,
        string salt = DefaultSalt,
        string separator = DefaultSeparator,
        IEnumerable<byte[]>? fallbackKeys = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(salt);
        ArgumentNullException.ThrowIfNull(separator);

        // Django silently substitutes settings.SECRET_KEY for an empty key; we have no such setting to
        // fall back on, and signing with an empty key would accept forgeries.
        if (key.Length == 0)
        {
            throw new ArgumentException("A Django signing key must not be empty.", nameof(key));
        }

        if (IsUnsafeSeparator(separator))
        {
            throw new ArgumentException(
                "Unsafe Django signer separator: it cannot be empty or consist only of A-z0-9-_=.",
                nameof(separator));
        }

        this.separator = separator;
        var keySalt = Encoding.UTF8.GetBytes(salt + "signer");
        hmacKeys = [.. new[] { key }.Concat(fallbackKeys ?? []).Select(secret => DeriveKey(keySalt, secret))];
    }

    /// <summary>The signature Django's <c>Signer.signature(value)</c> returns, using the current key.</summary>
    public string Signature(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Signature(hmacKeys[0], value);
    }

    /// <summary>Django's <c>Signer.sign</c>: <c>value + sep + signature</c>.</summary>
    public string Sign(string value) => value + separator + Signature(value);

    /// <summary>Django's <c>TimestampSigner.sign</c> with an explicit clock reading.</summary>
    public string SignWithTimestamp(string value, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Sign(value + separator + DjangoBase62.Encode(timestamp.ToUnixTimeSeconds()));
    }

    /// <summary>Django's <c>Signer.unsign</c>, accepting the current key or any fallback key.</summary>
    public bool TryUnsign(string? signedValue, [NotNullWhen(true)] out string? value) =>
        Verify(signedValue, out value) == DjangoSignatureCheck.Valid;

    /// <summary>
    /// Django's <c>TimestampSigner.unsign</c> without <c>max_age</c>: the signature covers
    /// <c>value + sep + timestamp</c>.
    /// </summary>
    public bool TryUnsignWithTimestamp(
        string? signedValue,
        [NotNullWhen(true)] out string? value,
        out DateTimeOffset timestamp) =>
        VerifyWithTimestamp(signedValue, out value, out timestamp) == DjangoSignatureCheck.Valid;

    internal DjangoSignatureCheck Verify(string? signedValue, out string? value)
    {
        value = null;
        var at = signedValue is null ? -1 : signedValue.LastIndexOf(separator, StringComparison.Ordinal);
        if (at < 0)
        {
            return DjangoSignatureCheck.Malformed;
        }

        var signature = signedValue.AsSpan(at + separator.Length);
        if (signature.Length != SignatureLength)
        {
            return DjangoSignatureCheck.Malformed;
        }

        // Django compares the signature strings, not the decoded bytes, so a non-canonical base64
        // spelling of the right digest must fail here too.
        Span<byte> given = stackalloc byte[Encoding.UTF8.GetMaxByteCount(SignatureLength)];
        given = given[..Encoding.UTF8.GetBytes(signature, given)];
        var unsigned = signedValue![..at];
        var message = Encoding.UTF8.GetBytes(unsigned);
        Span<byte> expected = stackalloc byte[SignatureLength];
        Span<byte> digest = stackalloc byte[HMACSHA256.HashSizeInBytes];
        foreach (var hmacKey in hmacKeys)
        {
            HMACSHA256.HashData(hmacKey, message, digest);
            Base64Url.EncodeToUtf8(digest, expected);
            if (CryptographicOperations.FixedTimeEquals(given, expected))
            {
                value = unsigned;
                return DjangoSignatureCheck.Valid;
            }
        }

        return DjangoSignatureCheck.Mismatch;
    }

    internal DjangoSignatureCheck VerifyWithTimestamp(
        string? signedValue,
        out string? value,
        out DateTimeOffset timestamp)
    {
        value = null;
        timestamp = default;
        var check = Verify(signedValue, out var withTimestamp);
        if (check != DjangoSignatureCheck.Valid)
        {
            return check;
        }

        var at = withTimestamp!.LastIndexOf(separator, StringComparison.Ordinal);
        if (at < 0
            || !DjangoBase62.TryDecode(withTimestamp.AsSpan(at + separator.Length), out var seconds)
            || seconds < DateTimeOffset.MinValue.ToUnixTimeSeconds()
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return DjangoSignatureCheck.Malformed;
        }

        value = withTimestamp[..at];
        timestamp = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return DjangoSignatureCheck.Valid;
    }

    private static string Signature(byte[] hmacKey, string value) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(hmacKey, Encoding.UTF8.GetBytes(value)));

    // Django's salted_hmac: key = sha256(key_salt + secret).digest(), both as bytes.
    private static byte[] DeriveKey(byte[] keySalt, byte[] secret) => SHA256.HashData([.. keySalt, .. secret]);

    // Django refuses separators matching ^[A-z0-9-_=]*$ because they could occur inside a signature or
    // payload. [A-z] spans ASCII 0x41-0x7A, so it also covers [\]^_`. Python's $ also matches before
    // one trailing newline, hence the trim.
    private static bool IsUnsafeSeparator(string separator)
    {
        var candidate = separator.EndsWith('\n') ? separator.AsSpan(0, separator.Length - 1) : separator.AsSpan();
        foreach (var c in candidate)
        {
            if (c is not ((>= 'A' and <= 'z') or (>= '0' and <= '9') or '-' or '='))
            {
                return false;
            }
        }

        return true;
    }
}
