using System.Collections.Immutable;
using Realtime.Connections;

namespace Realtime.Services;

/// <summary>
/// One instruction of the Django site's channel (docs/protocol.md 2.3, <c>site</c>), however it arrived: a service
/// message on the queue or a request to the gateway's HTTP API. <see cref="SiteCommandParser"/> builds it from either.
/// </summary>
/// <param name="Action"><c>push</c>, <c>broadcast</c> or <c>logout</c>.</param>
/// <param name="Users">The users addressed (push, logout); empty for a broadcast or a push to connections only.</param>
/// <param name="Instances">For a push: only these connections (of <paramref name="Users"/> when given); empty for all.</param>
/// <param name="Frame">What a push or broadcast sends, already encoded; null for a logout.</param>
[GenerateSerializer, Immutable]
[Alias("realtime.SiteCommand")]
public sealed record SiteCommand(
    [property: Id(0)] string Action,
    [property: Id(1)] ImmutableArray<string> Users,
    [property: Id(2)] ImmutableArray<string> Instances,
    [property: Id(3)] ServerFrame? Frame)
{
    public const string Push = "push";
    public const string Broadcast = "broadcast";
    public const string Logout = "logout";
}
