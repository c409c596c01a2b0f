using Realtime.Gateway.Authentication;

namespace Realtime.Tests.Authentication;

public sealed class DjangoSessionEncoderTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_767_225_600);

    private static DjangoSessionEncoder Encoder => new(DjangoTestSessions.Options);

    [Theory]
    [InlineData("42")]
    [InlineData("demo")]
    [InlineData("Ünïcödé-名前-😀")]
    [InlineData("quote\" back\\slash <&> +")]
    public void An_encoded_login_decodes_to_the_same_user(string userId)
    {
        var value = Encoder.EncodeLogin(userId, Now);

        var decoded = DjangoTestSessions.Decoder.Decode(value);

        Assert.True(decoded.IsAuthenticated, decoded.Message);
        Assert.Equal(userId, decoded.UserId);
        Assert.Equal(DjangoSessionEncoder.ModelBackend, decoded.Session!.Value.GetProperty(DjangoSessionEncoder.BackendKey).GetString());
    }

    [Fact]
    public void A_login_session_is_compressed_payload_timestamp_and_signature_as_Django_writes_it()
    {
        var value = Encoder.EncodeLogin("42", Now);

        var parts = value.Split(':');
        Assert.Equal(3, parts.Length);
        Assert.StartsWith(".", parts[0]);
        Assert.Matches("^[A-Za-z0-9_-]+$", parts[0][1..]);
        Assert.True(DjangoBase62.TryDecode(parts[1], out var seconds));
        Assert.Equal(Now.ToUnixTimeSeconds(), seconds);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", parts[2]);
    }

    [Fact]
    public void A_session_too_small_to_compress_reproduces_Djangos_own_value_byte_for_byte()
    {
        var reference = DjangoReferenceVectors.Session("signed-plain");
        var expected = reference.GetProperty("value").GetString()!;
        Assert.True(new DjangoSigner(DjangoReferenceVectors.SecretKey, DjangoReferenceVectors.SessionSalt)
            .TryUnsignWithTimestamp(expected, out _, out var signedAt));

        var value = Encoder.Encode([new("_auth_user_id", reference.GetProperty("expect_user_id").GetString()!)], signedAt);

        Assert.Equal(expected, value);
    }

    [Fact]
    public void Session_json_is_escaped_as_Pythons_json_dumps_escapes_it()
    {
        // json.dumps({"a": "é\n\"<>&\x7f\x01\t😀/"}, separators=(",", ":")) in Python 3.
        var json = DjangoSessionJson.Serialize([new("a", "é\n\"<>&\u007f\u0001\t😀/")]);

        Assert.Equal("""{"a":"\u00e9\n\"<>&\u007f\u0001\t\ud83d\ude00/"}""", json);
    }

    [Fact]
    public void Sessions_are_signed_with_the_current_key_not_a_fallback()
    {
        var onlyOldKey = new DjangoSessionDecoder(DjangoTestSessions.Options with
        {
            SecretKey = DjangoReferenceVectors.SecretKeyFallbacks[0],
            SecretKeyFallbacks = [],
        });

        Assert.Equal(DjangoSessionRejection.BadSignature, onlyOldKey.Decode(Encoder.EncodeLogin("42", Now)).Rejection);
    }

    [Fact]
    public void New_session_keys_look_like_Djangos_and_are_accepted_as_redis_keys()
    {
        var keys = Enumerable.Range(0, 100).Select(_ => DjangoSessionEncoder.NewSessionKey()).ToList();

        Assert.All(keys, key => Assert.Matches("^[a-z0-9]{32}$", key));
        Assert.All(keys, key => Assert.True(DjangoSessionKey.IsValid(key)));
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }
}
