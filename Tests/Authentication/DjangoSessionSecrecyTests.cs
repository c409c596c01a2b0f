using Realtime.Gateway.Authentication;
using Xunit;

namespace Realtime.Tests.Authentication;

public sealed class DjangoSessionSecrecyTests
{
    [Fact]
    public void Options_ToString_shows_no_secret_keys()
    {
        var text = DjangoTestSessions.Options.ToString();

        Assert.DoesNotContain(DjangoReferenceVectors.SecretKey, text, StringComparison.Ordinal);
        Assert.All(DjangoReferenceVectors.SecretKeyFallbacks, key => Assert.DoesNotContain(key, text, StringComparison.Ordinal));
        Assert.Contains(DjangoReferenceVectors.SessionSalt, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Authenticated_result_ToString_shows_neither_user_nor_session_contents()
    {
        var result = DjangoTestSessions.Decoder.Decode(
            DjangoReferenceVectors.Session("legacy-pre-3.1").GetProperty("value").GetString());

        var text = result.ToString();

        Assert.True(result.IsAuthenticated);
        Assert.DoesNotContain("1001", text, StringComparison.Ordinal);
        Assert.DoesNotContain("_auth", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("tampered-signature")]
    [InlineData("garbage")]
    public void Rejected_result_shows_neither_the_value_nor_the_session(string name)
    {
        var value = DjangoReferenceVectors.Session(name).GetProperty("value").GetString()!;

        var result = DjangoTestSessions.Decoder.Decode(value);

        foreach (var text in new[] { result.ToString(), result.Message })
        {
            Assert.DoesNotContain(value, text, StringComparison.Ordinal);
            Assert.DoesNotContain("zh-hans", text, StringComparison.Ordinal);
            Assert.DoesNotContain(DjangoReferenceVectors.SecretKey, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Configuration_error_message_does_not_contain_the_secret()
    {
        var options = DjangoTestSessions.Options with { SecretKeyFallbacks = ["", "x"] };

        var error = Assert.Throws<ArgumentException>(() => new DjangoSessionDecoder(options));

        Assert.DoesNotContain(DjangoReferenceVectors.SecretKey, error.Message, StringComparison.Ordinal);
    }
}
