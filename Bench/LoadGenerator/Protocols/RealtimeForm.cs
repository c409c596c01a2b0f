namespace Realtime.Bench.Protocols;

/// <summary>The two forms of our protocol (docs/protocol.md 1.13): what the browser library speaks, and the JSON form.</summary>
public enum RealtimeForm
{
    Compact,
    Json,
}
