using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Realtime.Connections;
using Realtime.Registration;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Users;

/// <summary>Every kind of bad client input gets its own answer, and the connection survives where it should.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private readonly RealtimeCluster _cluster = new(RedisServer.Shared)
    {
        ConfigureSiloServices = services => services.AddUserMessageHandler<EchoHandler>(),
    };
    private Microsoft.AspNetCore.Builder.WebApplication _gateway = null!;

    public async Task InitializeAsync()
    {
        await _cluster.StartSilo();
        _gateway = await _cluster.StartGateway(new Dictionary<string, string?>
        {
            ["Gateway:MaxFrameBytes"] = "4096",
            ["Gateway:MessagesPerSecond"] = "1",
            ["Gateway:MessageBurst"] = "3",
            ["Gateway:RateLimitStrikes"] = "5",
        });
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Theory]
    [InlineData("{not json", ErrorCodes.InvalidJson, null)]
    [InlineData("[1,2,3]", ErrorCodes.InvalidFrame, null)]
    [InlineData("\"just a string\"", ErrorCodes.InvalidFrame, null)]
    [InlineData("""{"id":"a1","type":{"x":1}}""", ErrorCodes.MissingType, "\"a1\"")]
    [InlineData("""{"id":{"nested":true},"type":"ping"}""", ErrorCodes.InvalidFrame, null)]
    [InlineData("""{"id":"a2","data":{}}""", ErrorCodes.MissingType, "\"a2\"")]
    [InlineData("""{"id":7,"type":""}""", ErrorCodes.MissingType, "7")]
    [InlineData("""{"id":"a3","type":"no-such-type"}""", ErrorCodes.UnknownType, "\"a3\"")]
    [InlineData("""{"id":"a4","type":"echo"}""", ErrorCodes.InvalidData, "\"a4\"")]
    [InlineData("""{"id":"a5","type":"echo","data":{"text":42}}""", ErrorCodes.InvalidData, "\"a5\"")]
    [InlineData("""{"id":"a6","type":"echo","data":{"txet":"typo"}}""", ErrorCodes.InvalidData, "\"a6\"")]
    [InlineData("""{"id":"a7","type":"echo","data":{"text":""}}""", ErrorCodes.InvalidData, "\"a7\"")]
    [InlineData("""{"id":"a8","type":"echo","data":{"text":"boom"}}""", ErrorCodes.Internal, "\"a8\"")]
    public async Task A_bad_frame_gets_its_error_code_and_the_connection_stays_usable(string frame, string code, string? refJson)
    {
        await using var client = await Connected.As(_cluster, _gateway, "signed-plain");

        await client.Socket.SendText(frame);
        var error = await client.Next("error");

        Assert.Equal(code, error.GetProperty("data").GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("data").GetProperty("message").GetString()));
        Assert.Equal(refJson ?? "null", error.GetProperty("data").GetProperty("ref").GetRawText());
        await client.Socket.SendText("""{"type":"echo","id":"after","data":{"text":"still alive"}}""");
        Assert.Equal("still alive", (await client.Next("echo")).GetProperty("data").GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("""{"text":42}""", "'echo' data is not valid: 'text' must be a string.")]
    [InlineData("""{"txet":"typo"}""", "'echo' data is not valid: 'txet' is not a field here (expected text).")]
    [InlineData("""[1]""", "'echo' needs a data object, not an array.")]
    public async Task Invalid_data_names_the_field_and_never_a_dotnet_type(string data, string message)
    {
        await using var client = await Connected.As(_cluster, _gateway, "signed-plain");

        await client.Socket.SendText($$"""{"type":"echo","id":"e","data":{{data}}}""");

        Assert.Equal(message, (await client.Next("error")).GetProperty("data").GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(127, false)]
    [InlineData(128, false)]
    [InlineData(128, true)]
    public async Task A_string_id_of_up_to_128_characters_is_echoed_however_it_is_escaped(int length, bool escaped)
    {
        await using var client = await Connected.As(_cluster, _gateway, "signed-plain");
        var id = new string('i', length);
        var idJson = escaped ? "\"" + string.Concat(Enumerable.Repeat("\\u0069", length)) + "\"" : $"\"{id}\"";

        await client.Socket.SendText($$"""{"type":"ping","id":{{idJson}}}""");

        Assert.Equal(id, (await client.Next("pong")).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_string_id_of_129_characters_is_an_invalid_frame()
    {
        await using var client = await Connected.As(_cluster, _gateway, "signed-plain");

        await client.Socket.SendText($$"""{"type":"ping","id":"{{new string('i', Realtime.Gateway.Connections.ClientFrameParser.MaxIdLength + 1)}}"}""");

        Assert.Equal(ErrorCodes.InvalidFrame, (await client.Next("error")).GetProperty("data").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_binary_frame_gets_binary_not_supported()
    {
        await using var client = await Connected.As(_cluster, _gateway, "signed-plain");

        await client.Socket.SendRaw([1, 2, 3], WebSocketMessageType.Binary);

        Assert.Equal(ErrorCodes.BinaryNotSupported, (await client.Next("error")).GetProperty("data").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_frame_over_the_size_limit_closes_with_1009()
    {
        await using var client = await Connected.As(_cluster, _gateway, "signed-plain");

        await client.Socket.SendJson(new { type = "echo", data = new { text = new string('x', 5000) } });

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await client.Socket.WaitClosed());
    }

    [Fact]
    public async Task A_flood_gets_rate_limited_and_then_closed_with_4008()
    {
        await using var client = await Connected.As(_cluster, _gateway, "signed-compressed");

        for (var i = 0; i < 12 && client.Socket.State == WebSocketState.Open; i++)
        {
            await client.Socket.SendText($$"""{"type":"ping","id":{{i}}}""");
        }

        Assert.Equal(ErrorCodes.RateLimited, (await client.Next("error")).GetProperty("data").GetProperty("code").GetString());
        Assert.Equal((WebSocketCloseStatus)CloseCodes.RateLimited, await client.Socket.WaitClosed());
    }
}
