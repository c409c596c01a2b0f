namespace Realtime.Bench.Peer;

/// <summary>Configuration section <c>Peer</c>: where the peer finds Redis, which list it pops, its backplane channels.</summary>
public sealed class PeerOptions
{
    public const string Section = "Peer";

    public string Redis { get; set; } = "127.0.0.1:6379";

    public string Queue { get; set; } = "queue:rtserver";

    /// <summary>Messages popped per Redis round trip once the blocking pop has returned one.</summary>
    public int BatchSize { get; set; } = 512;

    /// <summary>Prefix of the backplane's pub/sub channels, so runs sharing a Redis never hear each other.</summary>
    public string ChannelPrefix { get; set; } = "peer";
}
