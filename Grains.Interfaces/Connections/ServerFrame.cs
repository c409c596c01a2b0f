using System.Text.Json;

namespace Realtime.Connections;

/// <summary>
/// A frame on its way to browsers, already encoded as the UTF-8 JSON text the gateway writes to the socket.
/// Grains encode once and gateways copy bytes, so a frame fanned out to ten thousand sockets is serialised once.
/// </summary>
/// <param name="Type">The frame's <c>type</c>, kept beside the bytes for metrics and logs.</param>
/// <param name="Utf8Json">The whole frame <c>{type, data, id?}</c>.</param>
/// <param name="ConflationKey">
/// The stream of state this frame belongs to (a chart, say). In a slow connection's send queue a frame with
/// <paramref name="Mergeable"/> content is folded into the newest waiting frame of its key; a frame with a key and
/// no such content (a snapshot) is delivered in order and starts the key afresh, so nothing sent after it can be
/// folded into something sent before it. <c>null</c>: an ordinary frame, delivered in order.
/// </param>
/// <param name="Mergeable">What the frame says, in a form that can absorb a newer frame of the same key.</param>
/// <param name="Epoch">
/// Which history of the keyed stream the frame belongs to. A frame with an epoch and no mergeable content (a
/// snapshot) moves its receivers to that epoch; a mergeable one (an update) means something only to receivers on
/// its epoch, so a gateway never hands it to a connection that holds another.
/// </param>
[GenerateSerializer, Immutable]
[Alias("realtime.ServerFrame")]
public sealed record ServerFrame(
    [property: Id(0)] string Type,
    [property: Id(1)] byte[] Utf8Json,
    [property: Id(2)] string? ConflationKey = null,
    [property: Id(3)] MergeableContent? Mergeable = null,
    [property: Id(4)] string? Epoch = null)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Encodes <c>{type, data, id}</c>. <paramref name="idJson"/> is the client's correlation id as the raw JSON
    /// token it sent (a string or a number), echoed unchanged; omitted when null.
    /// </summary>
    public static ServerFrame Create<TData>(string type, TData data, string? idJson = null, string? conflationKey = null) =>
        Encode(type, conflationKey, idJson, writer => JsonSerializer.Serialize(writer, data, JsonOptions));

    public const string ErrorType = "error";

    /// <summary>The error frame of docs/protocol.md: <c>{type:"error", data:{code, message, ref}, id}</c>.</summary>
    public static ServerFrame Error(string code, string message, string? idJson = null) =>
        Encode(ErrorType, null, idJson, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("code", code);
            writer.WriteString("message", message);
            writer.WritePropertyName("ref");
            if (idJson is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteRawValue(idJson);
            }
            writer.WriteEndObject();
        });

    /// <summary>A snapshot: it starts <see cref="Epoch"/> afresh for whoever receives it.</summary>
    public bool StartsEpoch => Epoch is not null && Mergeable is null;

    public override string ToString() => $"ServerFrame({Type}, {Utf8Json.Length} bytes)";

    /// <summary>Encodes a frame whose <c>data</c> is written by hand, for hot paths that should not reflect.</summary>
    public static ServerFrame Encode(string type, string? conflationKey, string? idJson, Action<Utf8JsonWriter> writeData)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WritePropertyName("data");
            writeData(writer);
            if (idJson is not null)
            {
                writer.WritePropertyName("id");
                writer.WriteRawValue(idJson);
            }
            writer.WriteEndObject();
        }
        return new ServerFrame(type, buffer.WrittenSpan.ToArray(), conflationKey);
    }
}
