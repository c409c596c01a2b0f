namespace Realtime.Services;

/// <summary>The Redis keys around one service queue (docs/protocol.md, "Service queue").</summary>
public sealed record ServiceQueueKeys(string Queue)
{
    public string DeadLetters => $"{Queue}:dead";

    /// <summary>The set of pump consumers that may hold messages in a processing list.</summary>
    public string Consumers => $"{Queue}:consumers";

    public string Processing(string consumerId) => $"{Queue}:processing:{consumerId}";
}
