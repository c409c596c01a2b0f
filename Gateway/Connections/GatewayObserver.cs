using System.Collections.Immutable;
using Realtime.Connections;

namespace Realtime.Gateway.Connections;

/// <summary>What grains call on this gateway: queue frames on, or close, the local connections they name.</summary>
internal sealed class GatewayObserver(ConnectionRegistry connections, TopicSubscriptions topics) : IGatewayObserver
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

    public Task Subscribe(string instanceId, string topic, ImmutableArray<ServerFrame> frames)
    {
        if (connections.Find(instanceId) is not { } connection)
        {
            return Task.CompletedTask;
        }
        foreach (var frame in frames)
        {
            connection.Send(frame);
        }
        topics.Add(topic, connection, frames.LastOrDefault(f => f.Epoch is not null)?.Epoch);
        return Task.CompletedTask;
    }

    public Task<bool> Publish(string topic, ImmutableArray<ServerFrame> frames)
    {
        var inStep = true;
        foreach (var subscriber in topics.Subscribers(topic))
        {
            foreach (var frame in frames)
            {
                inStep &= subscriber.Offer(frame);
            }
        }
        return Task.FromResult(inStep);
    }

    public Task Unsubscribe(string instanceId, string topic)
    {
        topics.Remove(topic, instanceId);
        return Task.CompletedTask;
    }
}
