using Realtime.Connections;

namespace Realtime.Users;

/// <summary>
/// What a user grain persists: its open connections with their gateways' observer references, so a grain
/// re-activated after its silo died can still reach the user at once instead of waiting for the next refresh.
/// </summary>
[GenerateSerializer]
[Alias("realtime.UserConnectionsState")]
internal sealed class UserConnectionsState
{
    [Id(0)]
    public Dictionary<string, ConnectionInfo> Connections { get; set; } = new(StringComparer.Ordinal);
}
