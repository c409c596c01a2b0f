using System.Text.Json;
using Realtime.Connections;
using Realtime.Users;

namespace Realtime.Gateway.Connections;

/// <summary>
/// Checks a client's text frame is <c>{type, data?, id?}</c> before it costs a grain call. Handlers validate
/// <c>data</c>; this only guarantees the envelope.
/// </summary>
internal static class ClientFrameParser
{
    private const int MaxTypeLength = 64;
    public const int MaxIdLength = 128;

    /// <summary>Returns the message, or an error frame (with the client's id when one could be read).</summary>
    public static (UserMessage? Message, ServerFrame? Error) Parse(ReadOnlySpan<byte> utf8)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8.ToArray(), new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            return (null, ServerFrame.Error(ErrorCodes.InvalidJson, $"The frame is not valid JSON: {e.Message}"));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, ServerFrame.Error(ErrorCodes.InvalidFrame, $"A frame must be a JSON object {{type, data, id}}, not {Describe(root.ValueKind)}."));
            }

            string? idJson = null;
            if (root.TryGetProperty("id", out var id))
            {
                // The limit is on what the client chose: a string's characters, not its JSON quotes and escapes.
                var length = id.ValueKind switch
                {
                    JsonValueKind.String => id.GetString()!.Length,
                    JsonValueKind.Number => id.GetRawText().Length,
                    _ => int.MaxValue,
                };
                if (length > MaxIdLength)
                {
                    return (null, ServerFrame.Error(ErrorCodes.InvalidFrame, $"'id' must be a string or number of at most {MaxIdLength} characters."));
                }
                idJson = id.GetRawText();
            }

            if (!root.TryGetProperty("type", out var type) || type.ValueKind == JsonValueKind.Null)
            {
                return (null, ServerFrame.Error(ErrorCodes.MissingType, "The frame has no 'type'.", idJson));
            }
            if (type.ValueKind != JsonValueKind.String || type.GetString() is not { Length: > 0 and <= MaxTypeLength } typeName)
            {
                return (null, ServerFrame.Error(ErrorCodes.MissingType, $"'type' must be a non-empty string of at most {MaxTypeLength} characters.", idJson));
            }

            var dataJson = root.TryGetProperty("data", out var data) && data.ValueKind != JsonValueKind.Null ? data.GetRawText() : null;
            return (new UserMessage(typeName, dataJson, idJson), null);
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
