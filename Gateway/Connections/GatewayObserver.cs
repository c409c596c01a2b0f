using System.Collections.Immutable;
using Realtime.Connections;

namespace Realtime.Gateway.Connections;

/// <summary>What grains call on this gateway: queue frames on, or close, the local connections they name.</summary>
internal sealed class GatewayObserver(ConnectionRegistry connections) : IGatewayObserver
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
}
