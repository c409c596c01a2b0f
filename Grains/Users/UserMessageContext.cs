using System.Collections.Immutable;
using System.Text.Json;
using Realtime.Connections;
using Realtime.Modules;

namespace Realtime.Users;

/// <summary>What a user message handler sees of one message: who sent it, the modules of that user, and where replies go.</summary>
public sealed class UserMessageContext(
    string userId,
    ConnectionInfo? connection,
    string instanceId,
    UserMessage message,
    UserModules modules,
    IGrainFactory grainFactory)
{
    private static readonly JsonSerializerOptions DataOptions = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    private readonly ImmutableArray<ServerFrame>.Builder _replies = ImmutableArray.CreateBuilder<ServerFrame>();

    public string UserId => userId;

    public string InstanceId => instanceId;

    /// <summary>The connection the message came from; null when the user grain has not (yet) heard of it.</summary>
    public ConnectionInfo? Connection => connection;

    public UserMessage Message => message;

    public UserModules Modules => modules;

    public IGrainFactory GrainFactory => grainFactory;

    internal ImmutableArray<ServerFrame> Replies => _replies.ToImmutable();

    /// <summary>Sends a frame back to the connection the message came from, echoing its correlation id.</summary>
    public void Reply<TData>(string type, TData data) => _replies.Add(ServerFrame.Create(type, data, message.IdJson));

    public void Reply(ServerFrame frame) => _replies.Add(frame);

    /// <summary>Answers with an <c>error</c> frame (docs/protocol.md lists the codes).</summary>
    public void Error(string code, string text) => _replies.Add(ServerFrame.Error(code, text, message.IdJson));

    /// <summary>
    /// Reads <c>data</c> as <typeparamref name="TData"/>; on failure answers <c>invalid_data</c> naming the problem
    /// and returns false. Unknown members are rejected so a typo is an error, not a silently ignored field.
    /// </summary>
    public bool TryReadData<TData>(out TData data) where TData : class
    {
        data = null!;
        if (message.DataJson is null)
        {
            Error(ErrorCodes.InvalidData, $"'{message.Type}' needs a data object.");
            return false;
        }
        try
        {
            var parsed = JsonSerializer.Deserialize<TData>(message.DataJson, DataOptions);
            if (parsed is null)
            {
                Error(ErrorCodes.InvalidData, $"'{message.Type}' needs a data object, not null.");
                return false;
            }
            data = parsed;
            return true;
        }
        catch (JsonException e)
        {
            Error(ErrorCodes.InvalidData, $"'{message.Type}' data is not valid: {Describe(e)}");
            return false;
        }
    }

    // System.Text.Json messages name the CLR type; the path and the first sentence are what a client can act on.
    private static string Describe(JsonException e)
    {
        var text = e.Message;
        var cut = text.IndexOf(". Path:", StringComparison.Ordinal);
        var head = cut > 0 ? text[..cut] : text;
        return e.Path is { Length: > 0 } path ? $"{head} (at {path})." : head;
    }
}
