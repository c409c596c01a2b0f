namespace Realtime.Gateway.Compact;

/// <summary>
/// The compact form of the protocol (docs/protocol.md 1.13), negotiated per connection as a WebSocket subprotocol.
/// A client that does not offer it gets the JSON protocol of 1.1-1.12 exactly as before.
/// </summary>
public static class CompactProtocol
{
    /// <summary>The subprotocol a client offers in <c>Sec-WebSocket-Protocol</c>, named back in the handshake and in <c>welcome</c>.</summary>
    public const string Name = "rt.compact.v2";

    /// <summary>The member of a snapshot's or resumed frame's <c>data</c> that announces the subscription's handle.</summary>
    public const string HandleProperty = "h";
}
