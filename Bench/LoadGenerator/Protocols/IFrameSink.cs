namespace Realtime.Bench.Protocols;

/// <summary>What a protocol reports while reading a client's messages; the client turns it into measurements.</summary>
public interface IFrameSink
{
    /// <summary>The server accepted the client (our <c>welcome</c>, SignalR's handshake answer).</summary>
    void Ready();

    /// <summary>A subscription is live (our <c>chart.snapshot</c>, SignalR's completion of <c>Subscribe</c>).</summary>
    void Subscribed();

    /// <summary>A pushed update carrying the quote with sequence number <paramref name="quoteSeq"/>.</summary>
    void Update(long quoteSeq);

    /// <summary>The server refused something or said goodbye; <paramref name="reason"/> is for the report.</summary>
    void Failed(string reason);

    /// <summary>
    /// Sends <paramref name="message"/> back on the client's socket, after the message being read (engine.io's pong to
    /// the server's ping). Sent in order, without waiting; a send that fails is the connection's failure.
    /// </summary>
    void Reply(byte[] message);
}
