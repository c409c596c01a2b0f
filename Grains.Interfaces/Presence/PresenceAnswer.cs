using System.Collections.Immutable;
using System.Text.Json;

namespace Realtime.Presence;

/// <summary>
/// The answer to a <see cref="PresenceQuery"/>: users online and their connections in the whole cluster, and the
/// counts asked for (0 for a user who is offline or a chart nobody watches), in the order asked.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("realtime.PresenceAnswer")]
public sealed record PresenceAnswer(
    [property: Id(0)] int OnlineUsers,
    [property: Id(1)] int Connections,
    [property: Id(2)] ImmutableArray<PresenceCount> Users,
    [property: Id(3)] ImmutableArray<PresenceCount> Charts)
{
    /// <summary><c>{online: {users, connections}, users: {id: n}, charts: {key: n}}</c>, as both the WebSocket and the HTTP API answer it.</summary>
    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        PresenceJson.WriteTotals(writer, OnlineUsers, Connections);
        PresenceJson.WriteCounts(writer, "users", Users);
        PresenceJson.WriteCounts(writer, "charts", Charts);
        writer.WriteEndObject();
    }
}

/// <summary>One user's connections, or one chart's watching connections.</summary>
[GenerateSerializer, Immutable]
[Alias("realtime.PresenceCount")]
public sealed record PresenceCount([property: Id(0)] string Key, [property: Id(1)] int Count);

/// <summary>A page of the online users (<see cref="IPresenceGrain.Online"/>); <paramref name="Next"/> is the <c>after</c> of the next page, null on the last.</summary>
[GenerateSerializer, Immutable]
[Alias("realtime.PresencePage")]
public sealed record PresencePage(
    [property: Id(0)] int OnlineUsers,
    [property: Id(1)] int Connections,
    [property: Id(2)] ImmutableArray<PresenceCount> Users,
    [property: Id(3)] string? Next)
{
    /// <summary><c>{online: {users, connections}, users: [{user, connections}], next}</c>.</summary>
    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        PresenceJson.WriteTotals(writer, OnlineUsers, Connections);
        writer.WriteStartArray("users");
        foreach (var user in Users)
        {
            writer.WriteStartObject();
            writer.WriteString("user", user.Key);
            writer.WriteNumber("connections", user.Count);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteString("next", Next);
        writer.WriteEndObject();
    }
}

internal static class PresenceJson
{
    public static void WriteTotals(Utf8JsonWriter writer, int users, int connections)
    {
        writer.WriteStartObject("online");
        writer.WriteNumber("users", users);
        writer.WriteNumber("connections", connections);
        writer.WriteEndObject();
    }

    public static void WriteCounts(Utf8JsonWriter writer, string name, ImmutableArray<PresenceCount> counts)
    {
        writer.WriteStartObject(name);
        foreach (var count in counts)
        {
            writer.WriteNumber(count.Key, count.Count);
        }
        writer.WriteEndObject();
    }
}
