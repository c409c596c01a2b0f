namespace Realtime.Topics;

/// <summary>
/// How a topic grain answered a connection that opened it (a chart, a watchlist symbol). The frames themselves (a
/// snapshot, or what a resuming client missed) go from the grain to the connection's gateway, the way every later
/// update goes; the handler that asked only turns a failure into an error frame.
/// </summary>
[GenerateSerializer]
[Alias("realtime.OpenOutcome")]
public enum OpenOutcome
{
    /// <summary>The connection's gateway took the frames.</summary>
    Opened,

    /// <summary>Nothing by that name: an unknown symbol.</summary>
    NotFound,

    /// <summary>The connection's gateway could not be reached; nothing was sent, and the client may ask again.</summary>
    Unreachable,
}
