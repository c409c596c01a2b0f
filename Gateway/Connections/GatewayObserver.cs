using System.Collections.Immutable;
using Realtime.Connections;

namespace Realtime.Gateway.Connections;

/// <summary>What grains call on this gateway: queue frames on, or close, the local connections they name.</summary>
internal sealed class GatewayObserver(ConnectionRegistry connections, ChartSubscriptions charts) : IGatewayObserver
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

    public Task AttachChart(string instanceId, string chartKey, ImmutableArray<ServerFrame> frames)
    {
        if (connections.Find(instanceId) is not { } connection)
        {
            return Task.CompletedTask;
        }
        foreach (var frame in frames)
        {
            connection.Send(frame);
        }
        charts.Add(chartKey, connection);
        return Task.CompletedTask;
    }

    public Task SendChart(string chartKey, ImmutableArray<ServerFrame> frames)
    {
        foreach (var connection in charts.Viewers(chartKey))
        {
            foreach (var frame in frames)
            {
                connection.Send(frame);
            }
        }
        return Task.CompletedTask;
    }

    public Task DetachChart(string instanceId, string chartKey)
    {
        charts.Remove(chartKey, instanceId);
        return Task.CompletedTask;
    }
}
