using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Realtime.Presence;

/// <summary>
/// A presence question, from a browser (<c>presence</c> message) or a backend (<c>POST /api/presence</c>): the
/// connection counts of some users and the watchers of some charts. The totals are always answered.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("realtime.PresenceQuery")]
public sealed record PresenceQuery(
    [property: Id(0)] ImmutableArray<string> Users,
    [property: Id(1)] ImmutableArray<string> Charts)
{
    public const int MaxUsers = 1000;
    public const int MaxCharts = 100;
    public const int MaxChartKeyLength = 512;

    /// <summary>Reads <c>{users?, charts?}</c>; an absent body asks for the totals only. Every refusal names its field.</summary>
    public static bool TryParse(JsonElement? body, [NotNullWhen(true)] out PresenceQuery? query, [NotNullWhen(false)] out FieldError? error)
    {
        query = null;
        if (body is not { ValueKind: not JsonValueKind.Null } data)
        {
            query = new PresenceQuery([], []);
            error = null;
            return true;
        }
        if (data.ValueKind != JsonValueKind.Object)
        {
            error = new FieldError("", "must be an object {users, charts}");
            return false;
        }
        if (!JsonFields.TryCheckKnown(data, "", ["users", "charts"], out error)
            || !JsonFields.TryReadUserIds(data, "users", MaxUsers, optional: true, out var users, out error)
            || !JsonFields.TryReadStrings(data, "charts", "chart keys", MaxCharts, MaxChartKeyLength, optional: true, out var charts, out error))
        {
            return false;
        }
        query = new PresenceQuery(users, charts);
        return true;
    }
}
