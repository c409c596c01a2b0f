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
        // Web defaults read "5" as 5; the protocol's numbers are JSON numbers.
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
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
    /// Reads <c>data</c> as <typeparamref name="TData"/>; on failure answers <c>invalid_data</c> naming the field at
    /// fault and returns false. Unknown members are refused so a typo is an error, not a silently ignored field, and
    /// a number must be a JSON number (docs/protocol.md 1.5).
    /// </summary>
    public bool TryReadData<TData>(out TData data) where TData : class
    {
        data = null!;
        if (message.DataJson is null)
        {
            Error(ErrorCodes.InvalidData, $"'{message.Type}' needs a data object.");
            return false;
        }
        using var document = JsonDocument.Parse(message.DataJson);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            Error(ErrorCodes.InvalidData, $"'{message.Type}' needs a data object, not {Kind(document.RootElement.ValueKind)}.");
            return false;
        }
        if (JsonShape.Check(document.RootElement, typeof(TData)) is { } problem)
        {
            Error(ErrorCodes.InvalidData, $"'{message.Type}' data is not valid: {problem.Describe()}.");
            return false;
        }
        try
        {
            data = document.RootElement.Deserialize<TData>(DataOptions)!;
            return true;
        }
        catch (JsonException)
        {
            // JsonShape lets through only what the record reads, so this is a record it does not model; the
            // serializer's own message would name .NET types.
            Error(ErrorCodes.InvalidData, $"'{message.Type}' data could not be read.");
            return false;
        }
    }

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Null => "null",
        _ => "true or false",
    };
}
