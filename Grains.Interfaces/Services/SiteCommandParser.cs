using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Realtime.Connections;

namespace Realtime.Services;

/// <summary>
/// Reads the body of a <c>site</c> instruction, the same for the service queue (its <c>data</c>, with <c>action</c>
/// in it) and the HTTP API (the request body, the action named by the path). Every refusal names its field.
/// </summary>
public static class SiteCommandParser
{
    /// <summary>At most this many users (or connections) per instruction.</summary>
    public const int MaxTargets = 10_000;

    /// <summary>The longest connection instance id accepted (the server's are 32 hex digits).</summary>
    public const int MaxInstanceIdLength = 64;

    public static readonly ImmutableArray<string> Actions = [SiteCommand.Push, SiteCommand.Broadcast, SiteCommand.Logout];

    /// <summary>
    /// Reads a body whose <c>action</c> field names the instruction (the service message's <c>data</c>).
    /// </summary>
    public static bool TryParse(JsonElement body, [NotNullWhen(true)] out SiteCommand? command, [NotNullWhen(false)] out FieldError? error)
    {
        command = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = new FieldError("", "must be an object");
            return false;
        }
        if (!body.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.String)
        {
            error = new FieldError("action", $"must be a string ({string.Join(", ", Actions)})");
            return false;
        }
        return TryParse(action.GetString()!, body, allowActionField: true, out command, out error);
    }

    /// <summary>Reads the body of the instruction <paramref name="action"/> (an HTTP request to that action's path).</summary>
    public static bool TryParse(string action, JsonElement body, [NotNullWhen(true)] out SiteCommand? command, [NotNullWhen(false)] out FieldError? error) =>
        TryParse(action, body, allowActionField: false, out command, out error);

    private static bool TryParse(string action, JsonElement body, bool allowActionField, [NotNullWhen(true)] out SiteCommand? command, [NotNullWhen(false)] out FieldError? error)
    {
        command = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = new FieldError("", "must be a JSON object");
            return false;
        }
        ReadOnlySpan<string> fields = action switch
        {
            SiteCommand.Push => allowActionField ? ["action", "users", "instances", "message"] : ["users", "instances", "message"],
            SiteCommand.Broadcast => allowActionField ? ["action", "message"] : ["message"],
            SiteCommand.Logout => allowActionField ? ["action", "users"] : ["users"],
            _ => [],
        };
        if (fields.IsEmpty)
        {
            error = new FieldError("action", $"must be push, broadcast or logout, not '{Truncate(action)}'");
            return false;
        }
        if (!JsonFields.TryCheckKnown(body, "", fields, out error))
        {
            return false;
        }
        switch (action)
        {
            case SiteCommand.Push:
            {
                var hasInstances = body.TryGetProperty("instances", out var instancesField) && instancesField.ValueKind != JsonValueKind.Null;
                if (!JsonFields.TryReadUserIds(body, "users", MaxTargets, optional: hasInstances, out var users, out error)
                    || !JsonFields.TryReadStrings(body, "instances", "connection instance ids", MaxTargets, MaxInstanceIdLength, optional: true, out var instances, out error)
                    || !TryReadFrame(body, out var frame, out error))
                {
                    return false;
                }
                if ((long)users.Length * instances.Length > MaxTargets)
                {
                    // Each pair is a call to a user grain: a backend answers one connection of one user, not a cross product.
                    error = new FieldError("instances", $"with 'users', at most {MaxTargets} user and connection pairs ({users.Length} x {instances.Length} given)");
                    return false;
                }
                command = new SiteCommand(action, users, instances, frame);
                return true;
            }
            case SiteCommand.Broadcast:
            {
                if (!TryReadFrame(body, out var frame, out error))
                {
                    return false;
                }
                command = new SiteCommand(action, [], [], frame);
                return true;
            }
            default:
            {
                if (!JsonFields.TryReadUserIds(body, "users", MaxTargets, optional: false, out var users, out error))
                {
                    return false;
                }
                command = new SiteCommand(action, users, [], null);
                return true;
            }
        }
    }

    /// <summary>
    /// Reads <c>message</c>, <c>{type, data, id}</c>: the frame the connections get. <c>id</c> (optional) makes it a
    /// reply: a backend answering a forwarded request copies the request's <c>id</c> there, and the frame carries it.
    /// </summary>
    private static bool TryReadFrame(JsonElement body, [NotNullWhen(true)] out ServerFrame? frame, [NotNullWhen(false)] out FieldError? error)
    {
        frame = null;
        if (!body.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
        {
            error = new FieldError("message", "must be an object {type, data, id}");
            return false;
        }
        if (!JsonFields.TryCheckKnown(message, "message.", ["type", "data", "id"], out error))
        {
            return false;
        }
        if (!message.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
            || type.GetString() is not { Length: > 0 and <= JsonFields.MaxTypeLength } typeName)
        {
            error = new FieldError("message.type", $"must be a non-empty string of at most {JsonFields.MaxTypeLength} characters");
            return false;
        }
        if (!JsonFields.TryReadId(message, "id", out var idJson, out var idError))
        {
            error = idError with { Field = "message.id" };
            return false;
        }
        frame = message.TryGetProperty("data", out var payload)
            ? ServerFrame.Create(typeName, payload, idJson)
            : ServerFrame.Create<object?>(typeName, null, idJson);
        error = null;
        return true;
    }

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
