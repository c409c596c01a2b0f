using Orleans.Runtime;
using System.Collections.Immutable;
using Realtime.Connections;

namespace Realtime.Users;

/// <summary>
/// One per signed-in user (key: the Django user id). Knows the user's open connections on every gateway,
/// dispatches the user's messages to the registered user message handlers, and owns the per-user modules
/// those handlers create.
/// </summary>
[Alias("realtime.IUserGrain"), GrainInterfaceType("Realtime.Users.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>A connection opened; returns the heartbeat interval and other welcome details.</summary>
    Task Connect(ConnectionInfo connection);

    /// <summary>A connection closed. When it was the last one, the user's modules are disposed.</summary>
    Task Disconnect(string instanceId);

    /// <summary>Handles one user message; returns the frames to send back to that connection, in order.</summary>
    Task<ImmutableArray<ServerFrame>> Receive(string instanceId, UserMessage message);

    /// <summary>Pushes to one connection of the user, or to all of them when <paramref name="instanceId"/> is null.</summary>
    Task Push(ServerFrame frame, string? instanceId = null);

    /// <summary>Closes every connection of the user (the site logged them out).</summary>
    Task Logout(string reason);

    /// <summary>
    /// A gateway's periodic re-registration of the connections it holds for this user, so a grain that was
    /// re-activated on another silo (losing its memory) finds its connections again.
    /// </summary>
    Task Refresh(string gatewayId, IGatewayObserver gateway, ImmutableArray<string> instanceIds);

    /// <summary>The user's open connection instance ids (for operators and tests).</summary>
    Task<ImmutableArray<string>> GetConnections();
}
