namespace Realtime.Gateway.Authentication;

/// <summary>
/// Reads a Django session value as stored in Redis and says who, if anybody, it logs in. Accepts the
/// Django 3.1+ signed format and the legacy pre-3.1 format, with SECRET_KEY and SECRET_KEY_FALLBACKS.
/// Never throws on session values: every failure is a <see cref="DjangoSessionRejection"/>.
/// </summary>
public sealed class DjangoSessionDecoder
{
    /// <summary>Real sessions are a few hundred bytes; anything this big is refused unread.</summary>
    public const int MaxValueLength = 256 * 1024;

    /// <summary>Upper bound on the JSON after base64 and zlib, against compression bombs.</summary>
    public const int MaxDecodedLength = 1024 * 1024;

    private readonly DjangoSigner signer;
    private readonly DjangoLegacySessionHash legacy;

    public DjangoSessionDecoder(DjangoSessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        // Messages name the setting, never its value.
        if (string.IsNullOrEmpty(options.SecretKey))
        {
            throw new ArgumentException("DjangoSessionOptions.SecretKey must be set.", nameof(options));
        }

        var fallbacks = options.SecretKeyFallbacks ?? [];
        if (fallbacks.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException(
                "DjangoSessionOptions.SecretKeyFallbacks must not contain empty keys.", nameof(options));
        }

        if (string.IsNullOrEmpty(options.SessionSalt))
        {
            throw new ArgumentException("DjangoSessionOptions.SessionSalt must be set.", nameof(options));
        }

        signer = new DjangoSigner(options.SecretKey, options.SessionSalt, fallbackKeys: fallbacks);
        legacy = new DjangoLegacySessionHash(options.SessionSalt, [options.SecretKey, .. fallbacks]);
    }

    public DjangoSessionDecodeResult Decode(string? sessionValue)
    {
        if (string.IsNullOrEmpty(sessionValue))
        {
            return Malformed("The session value is empty.");
        }

        if (sessionValue.Length > MaxValueLength)
        {
            return Malformed("The session value is too large to be a Django session.");
        }

        var signed = signer.VerifyWithTimestamp(sessionValue, out var payload, out _);
        if (signed == DjangoSignatureCheck.Valid)
        {
            return DjangoSessionPayload.TryDecode(payload!, MaxDecodedLength, out var json)
                ? FromJson(json!)
                : Malformed("The signed session payload is not valid base64 or zlib data.");
        }

        // Like Django 3.1-3.2, fall back to the legacy format whenever the modern one does not verify.
        var legacyCheck = legacy.Verify(sessionValue, out var legacyJson);
        if (legacyCheck == DjangoSignatureCheck.Valid)
        {
            return FromJson(legacyJson!);
        }

        if (signed == DjangoSignatureCheck.Mismatch || legacyCheck == DjangoSignatureCheck.Mismatch)
        {
            return DjangoSessionDecodeResult.Rejected(
                DjangoSessionRejection.BadSignature,
                "The session signature does not match any configured secret key and salt.");
        }

        return Malformed("The value is not a Django session string.");
    }

    private static DjangoSessionDecodeResult FromJson(byte[] json) =>
        DjangoSessionPayload.TryParseObject(json, out var session)
            ? DjangoSessionUser.Read(session)
            : Malformed("The signed session payload is not a JSON object.");

    private static DjangoSessionDecodeResult Malformed(string message) =>
        DjangoSessionDecodeResult.Rejected(DjangoSessionRejection.Malformed, message);
}
