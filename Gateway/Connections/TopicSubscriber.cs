namespace Realtime.Gateway.Connections;

/// <summary>One connection's subscription to a topic: the connection, and the epoch of the topic it holds.</summary>
internal sealed class TopicSubscriber(ClientConnection connection)
{
    public ClientConnection Connection => connection;

    /// <summary>
    /// The epoch of the last snapshot queued on the connection (null before any). Frames of one topic are published
    /// one call at a time, so this is read and written by one call at a time.
    /// </summary>
    public string? Epoch { get; set; }

    /// <summary>Queues <paramref name="frame"/> unless it is an update of an epoch this connection never got the snapshot of.</summary>
    public bool Offer(Realtime.Connections.ServerFrame frame)
    {
        if (frame.StartsEpoch)
        {
            Epoch = frame.Epoch;
        }
        else if (frame.Epoch is not null && frame.Epoch != Epoch)
        {
            return false;
        }
        connection.Send(frame);
        return true;
    }
}
