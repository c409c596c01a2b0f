using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;

namespace Realtime;

/// <summary>
/// Checks a JSON value against the record it is about to be read into: every member is one the record has, and each
/// holds the JSON kind its type needs (a number for a number, never a string holding one). The error names the field
/// by its path as the sender wrote it; System.Text.Json's own messages name .NET types, which a client cannot act on.
/// </summary>
public static class JsonShape
{
    private static readonly ConcurrentDictionary<Type, Dictionary<string, PropertyInfo>> MembersByType = new();

    /// <summary>
    /// The first mismatch of <paramref name="value"/> with <paramref name="type"/>, or null when it fits. Members the
    /// type does not have are refused unless <paramref name="ignoreUnknown"/> (a producer's extra fields, which the
    /// protocol lets it send).
    /// </summary>
    public static FieldError? Check(JsonElement value, Type type, bool ignoreUnknown = false) => Check(value, type, "", ignoreUnknown);

    private static FieldError? Check(JsonElement value, Type type, string path, bool ignoreUnknown)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return !type.IsValueType || Nullable.GetUnderlyingType(type) is not null ? null : Wrong(path, type);
        }
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(JsonElement))
        {
            return null;
        }
        if (type == typeof(string))
        {
            return value.ValueKind == JsonValueKind.String ? null : Wrong(path, type);
        }
        if (type == typeof(bool))
        {
            return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : Wrong(path, type);
        }
        if (type == typeof(int))
        {
            return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _) ? null : Wrong(path, type);
        }
        if (type == typeof(long))
        {
            return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _) ? null : Wrong(path, type);
        }
        if (type == typeof(double))
        {
            return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number) ? null : Wrong(path, type);
        }
        if (type.IsArray)
        {
            return value.ValueKind == JsonValueKind.Array ? Items(value, type.GetElementType()!, path, ignoreUnknown) : Wrong(path, type);
        }
        if (DictionaryValueType(type) is { } valueType)
        {
            return value.ValueKind == JsonValueKind.Object ? Entries(value, valueType, path, ignoreUnknown) : Wrong(path, type);
        }
        return value.ValueKind == JsonValueKind.Object ? Members(value, type, path, ignoreUnknown) : Wrong(path, type);
    }

    private static FieldError? Items(JsonElement array, Type itemType, string path, bool ignoreUnknown)
    {
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (Check(item, itemType, $"{path}[{index++}]", ignoreUnknown) is { } error)
            {
                return error;
            }
        }
        return null;
    }

    private static FieldError? Entries(JsonElement map, Type valueType, string path, bool ignoreUnknown)
    {
        foreach (var entry in map.EnumerateObject())
        {
            if (Check(entry.Value, valueType, Join(path, entry.Name), ignoreUnknown) is { } error)
            {
                return error;
            }
        }
        return null;
    }

    private static FieldError? Members(JsonElement body, Type type, string path, bool ignoreUnknown)
    {
        // Case-insensitive, as the readers' JsonSerializerDefaults.Web match names.
        var members = MembersByType.GetOrAdd(type, static t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase));
        foreach (var member in body.EnumerateObject())
        {
            if (!members.TryGetValue(member.Name, out var property))
            {
                if (ignoreUnknown)
                {
                    continue;
                }
                var expected = string.Join(", ", members.Keys.Select(CamelCase));
                return new FieldError(Join(path, member.Name), $"is not a field here (expected {expected})");
            }
            if (Check(member.Value, property.PropertyType, Join(path, member.Name), ignoreUnknown) is { } error)
            {
                return error;
            }
        }
        return null;
    }

    private static Type? DictionaryValueType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() is var generic
            && (generic == typeof(Dictionary<,>) || generic == typeof(IReadOnlyDictionary<,>) || generic == typeof(IDictionary<,>))
            && type.GetGenericArguments()[0] == typeof(string)
            ? type.GetGenericArguments()[1]
            : null;

    private static FieldError Wrong(string path, Type type) => new(path, $"must be {Expected(Nullable.GetUnderlyingType(type) ?? type)}");

    private static string Expected(Type type) =>
        type == typeof(string) ? "a string"
        : type == typeof(bool) ? "true or false"
        : type == typeof(int) || type == typeof(long) ? "a whole JSON number"
        : type == typeof(double) ? "a JSON number"
        : type.IsArray ? "an array"
        : "an object";

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string CamelCase(string name) => JsonNamingPolicy.CamelCase.ConvertName(name);
}
