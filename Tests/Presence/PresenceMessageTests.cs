using Realtime.Connections;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Presence;

/// <summary>The <c>presence</c> user message: its answer carries the request's id, and a bad question names its field.</summary>
public sealed class PresenceMessageTests : IAsyncLifetime
{
    private readonly RealtimeCluster _cluster = new(RedisServer.Shared);
    private Microsoft.AspNetCore.Builder.WebApplication _gateway = null!;

    public async Task InitializeAsync()
    {
        await _cluster.StartSilo();
        _gateway = await _cluster.StartGateway();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Theory]
    [InlineData("""{"users":"42"}""", "'data.users' must be an array")]
    [InlineData("""{"users":[{}]}""", "'data.users[0]' must be a user id")]
    [InlineData("""{"charts":[1]}""", "'data.charts[0]' must be a non-empty string")]
    [InlineData("""{"watchers":[]}""", "'data.watchers' is not a field here")]
    [InlineData("[]", "'data' must be an object")]
    public async Task A_bad_question_is_answered_invalid_data_naming_the_field(string data, string message)
    {
        await using var client = await Connected.As(_cluster, _gateway, "signed-small");

        await client.Socket.SendText($$"""{"type":"presence","id":"q","data":{{data}}}""");
        var error = await client.Next("error");

        Assert.Equal(ErrorCodes.InvalidData, error.GetProperty("data").GetProperty("code").GetString());
        Assert.StartsWith(message, error.GetProperty("data").GetProperty("message").GetString());
        Assert.Equal("q", error.GetProperty("id").GetString());
    }

    [Fact]
    public async Task The_answer_counts_the_asking_connection_and_carries_the_id()
    {
        await using var client = await Connected.As(_cluster, _gateway, "signed-small");

        await Eventually.True(async () =>
        {
            await client.Socket.SendText("""{"type":"presence","id":7,"data":{"users":["42"]}}""");
            var answer = await client.Next("presence");
            Assert.Equal(7, answer.GetProperty("id").GetInt32());
            return answer.GetProperty("data").GetProperty("users").GetProperty("42").GetInt32() == 1
                && answer.GetProperty("data").GetProperty("online").GetProperty("connections").GetInt32() == 1;
        }, "the presence answer counts this connection");
    }
}
