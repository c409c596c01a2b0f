using System.Text.Json;
using Realtime.Gateway.Authentication;
using Xunit;

namespace Realtime.Tests.Authentication;

public sealed class DjangoSessionDecoderTests
{
    // What each reference vector without expect_user_id must be rejected as. Every such vector has to be
    // listed here, so a vector added to sessions.json cannot pass unnoticed.
    private static readonly Dictionary<string, DjangoSessionRejection> ExpectedRejections = new()
    {
        ["anonymous"] = DjangoSessionRejection.Anonymous,
        ["tampered-signature"] = DjangoSessionRejection.BadSignature,
        ["tampered-payload"] = DjangoSessionRejection.BadSignature,
        ["wrong-key"] = DjangoSessionRejection.BadSignature,
        ["wrong-salt"] = DjangoSessionRejection.BadSignature,
        ["garbage"] = DjangoSessionRejection.Malformed,
        ["django-test-suite-legacy"] = DjangoSessionRejection.Anonymous,
    };

    public static TheoryData<string> ReferenceSessionNames =>
        [.. DjangoReferenceVectors.Sessions.Select(session => session.GetProperty("name").GetString()!)];

    [Theory]
    [MemberData(nameof(ReferenceSessionNames))]
    public void Every_reference_session_logs_in_the_expected_user_or_is_rejected_for_the_expected_reason(string name)
    {
        var vector = DjangoReferenceVectors.Session(name);

        var result = Decode(vector);

        if (vector.OptionalString("expect_user_id") is { } expectedUserId)
        {
            Assert.True(result.IsAuthenticated, result.Message);
            Assert.Equal(expectedUserId, result.UserId);
            Assert.Null(result.Rejection);
        }
        else
        {
            Assert.True(ExpectedRejections.TryGetValue(name, out var expected), $"No expected rejection listed for '{name}'.");
            Assert.False(result.IsAuthenticated);
            Assert.Equal(expected, result.Rejection);
            Assert.Null(result.UserId);
        }
    }

    [Fact]
    public void Signed_plain_session_decodes_to_user_3() => AssertUser("signed-plain", "3");

    [Fact]
    public void Signed_small_compressed_session_decodes_to_user_42() => AssertUser("signed-small", "42");

    [Fact]
    public void Signed_compressed_session_decodes_to_user_7() => AssertUser("signed-compressed", "7");

    [Fact]
    public void Legacy_pre_3_1_session_decodes_to_user_1001() => AssertUser("legacy-pre-3.1", "1001");

    [Fact]
    public void Session_signed_with_a_fallback_key_decodes_to_user_77() => AssertUser("signed-with-fallback-key", "77");

    [Fact]
    public void Session_signed_with_a_fallback_key_is_refused_once_that_key_is_dropped()
    {
        var decoder = new DjangoSessionDecoder(DjangoTestSessions.Options with { SecretKeyFallbacks = [] });

        var result = decoder.Decode(Value("signed-with-fallback-key"));

        Assert.Equal(DjangoSessionRejection.BadSignature, result.Rejection);
    }

    [Fact]
    public void Django_test_suite_legacy_vector_decodes_to_its_session_but_logs_nobody_in()
    {
        var vector = DjangoReferenceVectors.Session("django-test-suite-legacy");

        var result = Decode(vector);

        Assert.Equal(DjangoSessionRejection.Anonymous, result.Rejection);
        Assert.NotNull(result.Session);
        Assert.True(
            JsonElement.DeepEquals(vector.GetProperty("expect_decoded"), result.Session.Value),
            result.Session.Value.GetRawText());
    }

    [Fact]
    public void Anonymous_session_is_still_returned_for_inspection()
    {
        var result = DjangoTestSessions.Decoder.Decode(Value("anonymous"));

        Assert.Equal(DjangoSessionRejection.Anonymous, result.Rejection);
        Assert.Equal("zh-hans", result.Session!.Value.GetProperty("django_language").GetString());
    }

    [Fact]
    public void Authenticated_session_exposes_the_whole_session_object()
    {
        var result = DjangoTestSessions.Decoder.Decode(Value("legacy-pre-3.1"));

        Assert.True(result.IsAuthenticated);
        Assert.Equal(
            "django.contrib.auth.backends.ModelBackend",
            result.Session!.Value.GetProperty("_auth_user_backend").GetString());
    }

    [Fact]
    public void Numeric_auth_user_id_is_read_as_a_string()
    {
        var result = DjangoTestSessions.Decoder.Decode(DjangoTestSessions.SignJson("""{"_auth_user_id":42}"""));

        Assert.True(result.IsAuthenticated, result.Message);
        Assert.Equal("42", result.UserId);
    }

    [Fact]
    public void Uuid_auth_user_id_is_read_verbatim()
    {
        const string id = "6f1c3a52-8e1d-4b7e-9a43-0c2d5e6f7a8b";

        var result = DjangoTestSessions.Decoder.Decode(DjangoTestSessions.SignJson($$"""{"_auth_user_id":"{{id}}"}"""));

        Assert.Equal(id, result.UserId);
    }

    [Fact]
    public void Session_signed_with_the_default_salt_decodes_without_configuring_one()
    {
        var decoder = new DjangoSessionDecoder(new DjangoSessionOptions { SecretKey = DjangoReferenceVectors.SecretKey });

        Assert.Equal("42", decoder.Decode(Value("signed-small")).UserId);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void Missing_secret_key_is_a_configuration_error(string? secretKey)
    {
        Assert.Throws<ArgumentException>(() => new DjangoSessionDecoder(new DjangoSessionOptions { SecretKey = secretKey! }));
    }

    private static DjangoSessionDecodeResult Decode(JsonElement vector)
    {
        var options = DjangoTestSessions.Options;
        if (vector.OptionalString("secret_key") is { } ownKey)
        {
            options = options with { SecretKey = ownKey, SecretKeyFallbacks = [] };
        }

        return new DjangoSessionDecoder(options).Decode(vector.GetProperty("value").GetString());
    }

    private static string Value(string name) =>
        DjangoReferenceVectors.Session(name).GetProperty("value").GetString()!;

    private static void AssertUser(string name, string expectedUserId)
    {
        var result = DjangoTestSessions.Decoder.Decode(Value(name));

        Assert.True(result.IsAuthenticated, result.Message);
        Assert.Equal(expectedUserId, result.UserId);
    }
}
