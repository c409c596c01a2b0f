using Realtime.Gateway.Security;

namespace Realtime.Gateway.WebSockets;

/// <summary>
/// What admission reads of a <c>GET /ws</c>, whichever way it was parsed: by Kestrel's HTTP layer
/// (<see cref="WebSocketEndpoint"/>) or by the gateway itself (<see cref="DirectUpgrade"/>).
/// </summary>
/// <param name="SessionId">The session id from the cookie, or else the query string; never logged.</param>
internal sealed record UpgradeRequest(RequestOrigin Origin, bool IsWebSocketRequest, string? SessionId);
