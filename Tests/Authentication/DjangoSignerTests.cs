using System.Text.Json;
using Realtime.Gateway.Authentication;
using Xunit;

namespace Realtime.Tests.Authentication;

public sealed class DjangoSignerTests
{
    [Fact]
    public void Raw_non_ascii_key_bytes_reproduce_djangos_signature_byte_for_byte()
    {
        var check = SignerCheck("test_works_with_non_ascii_keys");
        var signer = new DjangoSigner(
            Convert.FromHexString(check.GetProperty("key_bytes_hex").GetString()!),
            check.GetProperty("salt").GetString()!);

        AssertReproduces(signer, check);
    }

    [Fact]
    public void Custom_separator_reproduces_djangos_signature_byte_for_byte()
    {
        var check = SignerCheck("test_valid_sep");
        var signer = new DjangoSigner(
            check.GetProperty("key").GetString()!,
            check.GetProperty("salt").GetString()!,
            check.GetProperty("sep").GetString()!);

        AssertReproduces(signer, check);
    }

    [Fact]
    public void Timestamp_signer_reproduces_a_reference_session_value_byte_for_byte()
    {
        var value = DjangoReferenceVectors.Session("signed-plain").GetProperty("value").GetString()!;
        var signer = new DjangoSigner(DjangoReferenceVectors.SecretKey, DjangoReferenceVectors.SessionSalt);

        Assert.True(signer.TryUnsignWithTimestamp(value, out var payload, out var timestamp));
        Assert.Equal(value, signer.SignWithTimestamp(payload, timestamp));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(1_700_000_000L)]
    [InlineData(-86_400L)]
    public void Timestamp_round_trips_through_sign_and_unsign(long unixSeconds)
    {
        var signer = new DjangoSigner("key", "salt");
        var signed = signer.SignWithTimestamp("value", DateTimeOffset.FromUnixTimeSeconds(unixSeconds));

        Assert.True(signer.TryUnsignWithTimestamp(signed, out var value, out var timestamp));
        Assert.Equal("value", value);
        Assert.Equal(unixSeconds, timestamp.ToUnixTimeSeconds());
    }

    [Fact]
    public void Value_signed_with_a_fallback_key_unsigns()
    {
        var signed = new DjangoSigner("old-key").Sign("value");
        var signer = new DjangoSigner("new-key", fallbackKeys: ["other-key", "old-key"]);

        Assert.True(signer.TryUnsign(signed, out var value));
        Assert.Equal("value", value);
    }

    [Theory]
    [InlineData("value:EE4qGC5MEKyQG5msxYA0sBohAxLC0BJf8uRhemh0BGU")]
    [InlineData("foo:EE4qGC5MEKyQG5msxYA0sBohAxLC0BJf8uRhemh0BGV")]
    [InlineData("foo:EE4qGC5MEKyQG5msxYA0sBohAxLC0BJf8uRhemh0BG")]
    [InlineData("foo")]
    [InlineData("")]
    [InlineData(null)]
    public void Tampered_or_unsigned_value_does_not_unsign(string? signed)
    {
        var signer = new DjangoSigner([0xe7]);

        Assert.False(signer.TryUnsign(signed, out var value));
        Assert.Null(value);
    }

    [Fact]
    public void Value_signed_with_another_salt_does_not_unsign()
    {
        var signed = new DjangoSigner("key", "one-salt").Sign("value");

        Assert.False(new DjangoSigner("key", "other-salt").TryUnsign(signed, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("abc")]
    [InlineData("_=")]
    [InlineData("A-z09")]
    [InlineData("\\")]
    [InlineData("abc\n")]
    public void Separators_django_calls_unsafe_are_refused(string separator)
    {
        Assert.Throws<ArgumentException>(() => new DjangoSigner("key", separator: separator));
    }

    [Theory]
    [InlineData("~")]
    [InlineData("/")]
    [InlineData("*")]
    [InlineData(".")]
    public void Separators_django_accepts_are_accepted(string separator)
    {
        var signer = new DjangoSigner("key", separator: separator);

        Assert.True(signer.TryUnsign(signer.Sign("value"), out var value));
        Assert.Equal("value", value);
    }

    [Fact]
    public void Empty_key_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new DjangoSigner(""));
    }

    private static JsonElement SignerCheck(string djangoTestName) =>
        DjangoReferenceVectors.SignerChecks.Single(
            check => check.GetProperty("source").GetString()!.EndsWith(djangoTestName, StringComparison.Ordinal));

    private static void AssertReproduces(DjangoSigner signer, JsonElement check)
    {
        var value = check.GetProperty("value").GetString()!;
        var signed = check.GetProperty("signed").GetString()!;

        Assert.Equal(signed, signer.Sign(value));
        Assert.True(signer.TryUnsign(signed, out var unsigned));
        Assert.Equal(value, unsigned);
    }
}
