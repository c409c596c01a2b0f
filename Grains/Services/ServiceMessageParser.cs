using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Realtime.Services;

/// <summary>Turns the text taken off a queue into a <see cref="ServiceMessage"/>, or says why it cannot.</summary>
public static class ServiceMessageParser
{
    public static bool TryParse(string raw, [NotNullWhen(true)] out ServiceMessage? message, [NotNullWhen(false)] out string? error)
    {
        message = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(raw);
        }
        catch (JsonException e)
        {
            error = $"not JSON: {e.Message}";
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = $"not a JSON object but {root.ValueKind}";
                return false;
            }
            if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() is not { Length: > 0 } typeName)
            {
                error = "no 'type' string";
                return false;
            }
            string? source = null;
            if (root.TryGetProperty("src", out var src))
            {
                if (src.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                {
                    error = "'src' must be a string";
                    return false;
                }
                source = src.GetString();
            }
            var data = root.TryGetProperty("data", out var d) ? d.Clone() : default;
            message = new ServiceMessage(typeName, source, data, raw);
            error = null;
            return true;
        }
    }
}
