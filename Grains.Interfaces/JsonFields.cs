using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Realtime;

/// <summary>Readers for the fields that the site channel, the HTTP API and presence queries share, each naming the field it refuses.</summary>
public static class JsonFields
{
    /// <summary>The longest user id accepted (Django's are integers; sites send them as numbers or strings).</summary>
    public const int MaxUserIdLength = 128;

    /// <summary>The longest correlation id, as for client frames (docs/protocol.md 1.2).</summary>
    public const int MaxIdLength = 128;

    /// <summary>The longest frame <c>type</c>, as for client frames.</summary>
    public const int MaxTypeLength = 64;

    /// <summary>Refuses any property of <paramref name="body"/> that is not one of <paramref name="allowed"/>: a typo is an error, not a silently ignored field.</summary>
    public static bool TryCheckKnown(JsonElement body, string prefix, ReadOnlySpan<string> allowed, [NotNullWhen(false)] out FieldError? error)
    {
        foreach (var property in body.EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
            {
                error = new FieldError(prefix + property.Name, $"is not a field here (expected {string.Join(", ", allowed.ToArray())})");
                return false;
            }
        }
        error = null;
        return true;
    }

    /// <summary>
    /// Reads an array of 1 to <paramref name="max"/> user ids (strings or numbers), duplicates dropped. Absent is an
    /// error unless <paramref name="optional"/>, in which case it yields an empty array.
    /// </summary>
    public static bool TryReadUserIds(JsonElement body, string field, int max, bool optional, out ImmutableArray<string> ids, [NotNullWhen(false)] out FieldError? error) =>
        TryReadList(body, field, "user ids", max, optional, item => item.ValueKind switch
        {
            // Django user ids are integers; sites send them as numbers or strings.
            JsonValueKind.String => item.GetString(),
            JsonValueKind.Number => item.GetRawText(),
            _ => null,
        } is { Length: > 0 and <= MaxUserIdLength } id ? id : null,
            $"must be a user id: a non-empty string or number of at most {MaxUserIdLength} characters", out ids, out error);

    /// <summary>Reads an array of 1 to <paramref name="max"/> non-empty strings of at most <paramref name="maxLength"/> characters, duplicates dropped.</summary>
    public static bool TryReadStrings(JsonElement body, string field, string what, int max, int maxLength, bool optional, out ImmutableArray<string> values, [NotNullWhen(false)] out FieldError? error) =>
        TryReadList(body, field, what, max, optional,
            item => item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } text && text.Length <= maxLength ? text : null,
            $"must be a non-empty string of at most {maxLength} characters", out values, out error);

    /// <summary>Reads an array of 1 to <paramref name="max"/> items, each turned into a string by <paramref name="read"/> (null: refused with <paramref name="itemProblem"/>).</summary>
    private static bool TryReadList(JsonElement body, string field, string what, int max, bool optional, Func<JsonElement, string?> read, string itemProblem,
        out ImmutableArray<string> values, [NotNullWhen(false)] out FieldError? error)
    {
        values = [];
        if (!body.TryGetProperty(field, out var list) || (optional && list.ValueKind == JsonValueKind.Null))
        {
            error = optional ? null : new FieldError(field, $"must be an array of {what}");
            return optional;
        }
        if (list.ValueKind != JsonValueKind.Array)
        {
            error = new FieldError(field, $"must be an array of {what}");
            return false;
        }
        if (list.GetArrayLength() is 0 || list.GetArrayLength() > max)
        {
            error = new FieldError(field, $"must hold 1 to {max} {what}");
            return false;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var builder = ImmutableArray.CreateBuilder<string>(list.GetArrayLength());
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            if (read(item) is not { } value)
            {
                error = new FieldError($"{field}[{index}]", itemProblem);
                return false;
            }
            if (seen.Add(value))
            {
                builder.Add(value);
            }
            index++;
        }
        values = builder.ToImmutable();
        error = null;
        return true;
    }

    /// <summary>
    /// Reads an optional correlation id: a string of at most <see cref="MaxIdLength"/> characters or a number of at
    /// most as many characters as written, returned as its raw JSON token; null when absent or null.
    /// </summary>
    public static bool TryReadId(JsonElement body, string field, out string? idJson, [NotNullWhen(false)] out FieldError? error)
    {
        idJson = null;
        error = null;
        if (!body.TryGetProperty(field, out var id) || id.ValueKind == JsonValueKind.Null)
        {
            return true;
        }
        var length = id.ValueKind switch
        {
            JsonValueKind.String => id.GetString()!.Length,
            JsonValueKind.Number => id.GetRawText().Length,
            _ => int.MaxValue,
        };
        if (length > MaxIdLength)
        {
            error = new FieldError(field, $"must be a string or number of at most {MaxIdLength} characters");
            return false;
        }
        idJson = id.GetRawText();
        return true;
    }
}
