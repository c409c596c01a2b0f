using Realtime.Gateway.Compact;

namespace Realtime.Gateway.Connections;

/// <summary>
/// One connection's subscription to a topic: the connection, the epoch of the topic it holds, and the cadence it
/// asked for (a <see cref="TopicPacer"/>, or none: then every frame is queued at once, at no extra cost).
/// </summary>
internal sealed class TopicSubscriber(ClientConnection connection, TopicPacer? pacer = null)
{
    public ClientConnection Connection => connection;

    /// <summary>
    /// The epoch of the last snapshot queued on the connection (null before any). Frames of one topic are published
    /// one call at a time, so this is read and written by one call at a time.
    /// </summary>
    public string? Epoch { get; set; }

    public TopicPacer? Pacer => pacer;

    /// <summary>The gateway's handle of the topic, set when the subscriber joins it; compact connections get its frames.</summary>
    public TopicHandle? Topic { get; set; }

    /// <summary>Queues <paramref name="frame"/> unless it is an update of an epoch this connection never got the snapshot of.</summary>
    public bool Offer(Realtime.Connections.ServerFrame frame) =>
        Offer(frame, connection.Compact && Topic is { } topic ? topic.Compact(frame) : frame);

    /// <summary>As <see cref="Offer(Realtime.Connections.ServerFrame)"/>, with the frame's compact form already made.</summary>
    public bool Offer(Realtime.Connections.ServerFrame frame, Realtime.Connections.ServerFrame compactFrame)
    {
        if (frame.StartsEpoch)
        {
            Epoch = frame.Epoch;
        }
        else if (frame.Epoch is not null && frame.Epoch != Epoch)
        {
            return false;
        }
        if (connection.Compact)
        {
            frame = compactFrame;
        }
        if (pacer is null)
        {
            connection.Send(frame);
        }
        else
        {
            pacer.Offer(frame);
        }
        return true;
    }
}
