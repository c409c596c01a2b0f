namespace Realtime.Connections;

/// <summary>WebSocket close codes the server uses (docs/protocol.md, "Close codes").</summary>
public static class CloseCodes
{
    public const int Normal = 1000;
    public const int GoingAway = 1001;
    public const int ProtocolError = 1002;
    public const int PolicyViolation = 1008;
    public const int MessageTooBig = 1009;
    public const int InternalError = 1011;
    public const int TryAgainLater = 1013;

    /// <summary>Application range: the site logged the user out.</summary>
    public const int LoggedOut = 4001;

    /// <summary>Application range: the client sent faster than its rate limit allows.</summary>
    public const int RateLimited = 4008;

    /// <summary>Application range: the client stopped answering heartbeats.</summary>
    public const int HeartbeatTimeout = 4002;
}
