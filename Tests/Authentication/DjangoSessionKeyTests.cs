using Realtime.Gateway.Authentication;
using Xunit;

namespace Realtime.Tests.Authentication;

public sealed class DjangoSessionKeyTests
{
    public static TheoryData<string> ReferenceSessionKeys =>
        [.. DjangoReferenceVectors.Sessions.Select(session => session.GetProperty("session_key").GetString()!)];

    [Fact]
    public void Redis_key_is_the_bare_session_key_when_the_prefix_is_empty()
    {
        var options = new DjangoSessionOptions { SecretKey = "k" };

        Assert.True(DjangoSessionKey.TryGetRedisKey(options, "c3c3c3c3d4d4d4d4e5e5e5e5f6f6f6f6", out var redisKey));
        Assert.Equal("c3c3c3c3d4d4d4d4e5e5e5e5f6f6f6f6", redisKey);
    }

    [Fact]
    public void Redis_key_is_prefix_colon_session_key_when_a_prefix_is_set()
    {
        var options = new DjangoSessionOptions { SecretKey = "k", RedisKeyPrefix = "session" };

        Assert.True(DjangoSessionKey.TryGetRedisKey(options, "c3c3c3c3d4d4d4d4e5e5e5e5f6f6f6f6", out var redisKey));
        Assert.Equal("session:c3c3c3c3d4d4d4d4e5e5e5e5f6f6f6f6", redisKey);
    }

    [Theory]
    [MemberData(nameof(ReferenceSessionKeys))]
    public void Every_reference_session_key_is_accepted(string sessionKey)
    {
        Assert.True(DjangoSessionKey.IsValid(sessionKey));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc1234")]
    [InlineData("abcdefgh:*")]
    [InlineData("abcdefgh*")]
    [InlineData("abcd efgh")]
    [InlineData("abcdefgh\r\nFLUSHALL")]
    [InlineData("abcdefgh\0")]
    [InlineData("abcd-efgh_1234")]
    [InlineData("ключключключ")]
    [InlineData("abcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefgh1")]
    public void Hostile_session_key_is_refused(string? sessionKey)
    {
        Assert.False(DjangoSessionKey.IsValid(sessionKey));
        Assert.False(DjangoSessionKey.TryGetRedisKey(new DjangoSessionOptions(), sessionKey, out var redisKey));
        Assert.Null(redisKey);
    }

    [Theory]
    [InlineData("abcd1234")]
    [InlineData("ABCDEFGHabcdefgh0123456789")]
    [InlineData("abcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefghabcdefgh")]
    public void Session_key_of_8_to_64_ascii_letters_and_digits_is_accepted(string sessionKey)
    {
        Assert.True(DjangoSessionKey.IsValid(sessionKey));
    }
}
