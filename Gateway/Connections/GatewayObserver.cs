using System.Collections.Immutable;
using Realtime.Connections;

namespace Realtime.Gateway.Connections;

/// <summary>What grains call on this gateway: queue frames on, or close, the local connections they name.</summary>
internal sealed class GatewayObserver(ConnectionRegistry connections, TopicSubscriptions topics, TimeProvider clock) : IGatewayObserver
{
    public Task Send(ImmutableArray<string> instanceIds, ServerFrame frame)
    {
        foreach (var instanceId in instanceIds)
        {
            connections.Find(instanceId)?.Send(frame);
        }
        return Task.CompletedTask;
    }

    public Task Broadcast(ServerFrame frame)
    {
        foreach (var connection in connections.All)
        {
            connection.Send(frame);
        }
        return Task.CompletedTask;
    }

    public Task Close(ImmutableArray<string> instanceIds, int closeCode, string reason)
    {
        foreach (var instanceId in instanceIds)
        {
            connections.Find(instanceId)?.Close(closeCode, reason);
        }
        return Task.CompletedTask;
    }

    public Task Subscribe(string instanceId, string topic, ImmutableArray<ServerFrame> frames, double? maxRate = null)
    {
        if (connections.Find(instanceId) is not { } connection)
        {
            return Task.CompletedTask;
        }
        // Updates a re-subscribing connection's old cadence held back go before its new snapshot, never after it.
        topics.Find(topic, instanceId)?.Pacer?.Flush();
        var subscriber = new TopicSubscriber(connection, maxRate is { } rate ? new TopicPacer(connection, rate, clock) : null);
        topics.Add(topic, subscriber, frames);
        return Task.CompletedTask;
    }

    public Task<bool> Publish(string topic, ImmutableArray<ServerFrame> frames) => Task.FromResult(topics.Publish(topic, frames));

    public Task Unsubscribe(string instanceId, string topic)
    {
        topics.Remove(topic, instanceId);
        return Task.CompletedTask;
    }
}
