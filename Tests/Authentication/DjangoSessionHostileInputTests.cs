using System.Text;
using Realtime.Gateway.Authentication;
using Xunit;

namespace Realtime.Tests.Authentication;

public sealed class DjangoSessionHostileInputTests
{
    [Theory]
    [InlineData("empty", DjangoSessionRejection.Malformed)]
    [InlineData("null", DjangoSessionRejection.Malformed)]
    [InlineData("whitespace", DjangoSessionRejection.Malformed)]
    [InlineData("one colon", DjangoSessionRejection.Malformed)]
    [InlineData("only colons", DjangoSessionRejection.Malformed)]
    [InlineData("non-ascii", DjangoSessionRejection.Malformed)]
    [InlineData("non-base64 with a plausible signature", DjangoSessionRejection.BadSignature)]
    [InlineData("non-ascii signature", DjangoSessionRejection.Malformed)]
    [InlineData("one megabyte", DjangoSessionRejection.Malformed)]
    [InlineData("one megabyte of colons", DjangoSessionRejection.Malformed)]
    [InlineData("signed non-base64 payload", DjangoSessionRejection.Malformed)]
    [InlineData("signed invalid zlib after dot", DjangoSessionRejection.Malformed)]
    [InlineData("signed truncated zlib", DjangoSessionRejection.Malformed)]
    [InlineData("signed zlib bomb", DjangoSessionRejection.Malformed)]
    [InlineData("signed invalid json", DjangoSessionRejection.Malformed)]
    [InlineData("signed json array", DjangoSessionRejection.Malformed)]
    [InlineData("signed json string", DjangoSessionRejection.Malformed)]
    [InlineData("signed duplicate _auth_user_id", DjangoSessionRejection.Malformed)]
    [InlineData("signed _auth_user_id null", DjangoSessionRejection.Anonymous)]
    [InlineData("signed _auth_user_id empty", DjangoSessionRejection.Malformed)]
    [InlineData("signed _auth_user_id object", DjangoSessionRejection.Malformed)]
    [InlineData("signed _auth_user_id boolean", DjangoSessionRejection.Malformed)]
    [InlineData("signed _auth_user_id fraction", DjangoSessionRejection.Malformed)]
    [InlineData("signed _auth_user_id with newline", DjangoSessionRejection.Malformed)]
    [InlineData("signed without timestamp", DjangoSessionRejection.Malformed)]
    [InlineData("signed with non-base62 timestamp", DjangoSessionRejection.Malformed)]
    [InlineData("legacy without colon", DjangoSessionRejection.Malformed)]
    [InlineData("legacy with forged hash", DjangoSessionRejection.BadSignature)]
    [InlineData("legacy with uppercase hash", DjangoSessionRejection.BadSignature)]
    public void Hostile_session_value_is_rejected_without_throwing(string scenario, DjangoSessionRejection expected)
    {
        var result = DjangoTestSessions.Decoder.Decode(Build(scenario));

        Assert.False(result.IsAuthenticated);
        Assert.Null(result.UserId);
        Assert.Equal(expected, result.Rejection);
        Assert.False(string.IsNullOrWhiteSpace(result.Message));
    }

    private static string? Build(string scenario) => scenario switch
    {
        "empty" => "",
        "null" => null,
        "whitespace" => "   \r\n\t ",
        "one colon" => ":",
        "only colons" => new string(':', 64),
        "non-ascii" => "ключ:сессии:подпись",
        "non-base64 with a plausible signature" => "!!!not*base64!!!:1xTdVi:" + new string('A', 43),
        "non-ascii signature" => "eyJ9:1xTdVi:" + new string('é', 42),
        "one megabyte" => new string('a', 1024 * 1024),
        "one megabyte of colons" => new string(':', 1024 * 1024),
        "signed non-base64 payload" => DjangoTestSessions.SignPayload("@@@@"),
        "signed invalid zlib after dot" => DjangoTestSessions.SignPayload(".AAAAAAAA"),
        "signed truncated zlib" => Truncated(DjangoTestSessions.SignCompressed(Encoding.ASCII.GetBytes(LargeJson(4096)))),
        "signed zlib bomb" => DjangoTestSessions.SignCompressed(Encoding.ASCII.GetBytes(LargeJson(8 * 1024 * 1024))),
        "signed invalid json" => DjangoTestSessions.SignJson("""{"_auth_user_id":"""),
        "signed json array" => DjangoTestSessions.SignJson("""[{"_auth_user_id":"1"}]"""),
        "signed json string" => DjangoTestSessions.SignJson("\"1\""),
        "signed duplicate _auth_user_id" => DjangoTestSessions.SignJson("""{"_auth_user_id":"1","_auth_user_id":"2"}"""),
        "signed _auth_user_id null" => DjangoTestSessions.SignJson("""{"_auth_user_id":null}"""),
        "signed _auth_user_id empty" => DjangoTestSessions.SignJson("""{"_auth_user_id":""}"""),
        "signed _auth_user_id object" => DjangoTestSessions.SignJson("""{"_auth_user_id":{"id":1}}"""),
        "signed _auth_user_id boolean" => DjangoTestSessions.SignJson("""{"_auth_user_id":true}"""),
        "signed _auth_user_id fraction" => DjangoTestSessions.SignJson("""{"_auth_user_id":1.5}"""),
        "signed _auth_user_id with newline" => DjangoTestSessions.SignJson("""{"_auth_user_id":"1\nadmin"}"""),
        "signed without timestamp" => new DjangoSigner(DjangoReferenceVectors.SecretKey, DjangoReferenceVectors.SessionSalt).Sign("eyJ9"),
        "signed with non-base62 timestamp" => new DjangoSigner(DjangoReferenceVectors.SecretKey, DjangoReferenceVectors.SessionSalt).Sign("e30:!!"),
        "legacy without colon" => Convert.ToBase64String(Encoding.ASCII.GetBytes("no separator here")),
        "legacy with forged hash" => Convert.ToBase64String(Encoding.ASCII.GetBytes(new string('0', 40) + """:{"_auth_user_id":"1"}""")),
        "legacy with uppercase hash" => UppercasedLegacyHash(),
        _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "Unknown scenario."),
    };

    private static string LargeJson(int padding) => $$"""{"_auth_user_id":"1","padding":"{{new string('x', padding)}}"}""";

    // Cuts the compressed payload short but keeps a valid signature over the shortened value.
    private static string Truncated(string signed)
    {
        // Whole base64 quanta, so it is the zlib stream that breaks, not the base64.
        var base64 = signed[1..signed.IndexOf(':', StringComparison.Ordinal)];
        return DjangoTestSessions.SignPayload("." + base64[..(base64.Length / 8 * 4)]);
    }

    // Django compares against the lowercase hexdigest, so the same digest in uppercase is a forgery.
    private static string UppercasedLegacyHash()
    {
        var value = DjangoReferenceVectors.Session("legacy-pre-3.1").GetProperty("value").GetString()!;
        var decoded = Encoding.ASCII.GetString(Convert.FromBase64String(value));
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return Convert.ToBase64String(Encoding.ASCII.GetBytes(decoded[..colon].ToUpperInvariant() + decoded[colon..]));
    }
}
