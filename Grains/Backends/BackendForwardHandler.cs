using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Realtime.Connections;
using Realtime.Users;
using StackExchange.Redis;

namespace Realtime.Backends;

/// <summary>
/// A user message type that a backend program answers (<c>Backend:Forward</c>): the message is pushed onto the
/// backend's Redis list as <c>{type, src, data: {user, instance, id, message}}</c>, where <c>src</c> is the server's
/// own queue, the one the backend answers on with a <c>site</c> push (docs/protocol.md 2.4). Nothing is answered
/// here when the push succeeds; when the list cannot be written (Redis is down or slow, the key is not a list, or the
/// list is full because its backend stopped reading) the client gets <c>unavailable</c>, never silence.
/// </summary>
/// <remarks>One handler per configured type, registered like any other, so a type that clashes with another handler stops start-up.</remarks>
internal sealed class BackendForwardHandler(
    string type,
    string list,
    string replyQueue,
    int maxQueueLength,
    TimeSpan timeout,
    IConnectionMultiplexer redis,
    ILogger<BackendForwardHandler> logger) : IUserMessageHandler
{
    /// <summary>Pushes only below the cap, in one round trip; answers the list's new length, or -1 when it is full.</summary>
    private static readonly LuaScript PushBelowCap = LuaScript.Prepare("""
        if redis.call('LLEN', @list) >= tonumber(@cap) then return -1 end
        return redis.call('LPUSH', @list, @message)
        """);

    public string Type => type;

    public string List => list;

    public async Task Handle(UserMessageContext context)
    {
        var message = Encode(context);
        string? failure;
        try
        {
            // Asynchronous all the way: the grain's thread is never held while Redis answers.
            var result = await PushBelowCap.EvaluateAsync(redis.GetDatabase(), new { list = (RedisKey)list, cap = maxQueueLength, message })
                .WaitAsync(timeout);
            failure = (long)result < 0 ? $"its list holds {maxQueueLength} messages already" : null;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            failure = e.Message;
        }
        if (failure is not null)
        {
            logger.LogWarning("Could not forward {Type} of user {UserId} instance {InstanceId} to {List}: {Error}",
                type, context.UserId, context.InstanceId, list, failure);
            context.Error(ErrorCodes.Unavailable, $"The backend for '{type}' cannot take messages right now; try again.");
        }
    }

    /// <summary><c>{type, src, data: {user, instance, id, message: {type, data}}}</c>, with the client's id and data as it sent them.</summary>
    private string Encode(UserMessageContext context)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WriteString("src", replyQueue);
            writer.WriteStartObject("data");
            writer.WriteString("user", context.UserId);
            writer.WriteString("instance", context.InstanceId);
            writer.WritePropertyName("id");
            WriteRaw(writer, context.Message.IdJson);
            writer.WriteStartObject("message");
            writer.WriteString("type", context.Message.Type);
            writer.WritePropertyName("data");
            WriteRaw(writer, context.Message.DataJson);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteRaw(Utf8JsonWriter writer, string? json)
    {
        if (json is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteRawValue(json, skipInputValidation: true);
        }
    }
}
