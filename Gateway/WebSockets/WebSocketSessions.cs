using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using Realtime.Connections;
using Realtime.Gateway.Connections;
using Realtime.Users;

namespace Realtime.Gateway.WebSockets;

/// <summary>
/// An accepted WebSocket's life, however it was accepted: registered, announced to the user's grain, greeted with
/// <c>welcome</c>, run until either side closes, then forgotten by the gateway and the grain.
/// </summary>
internal sealed class WebSocketSessions(
    IGrainFactory grains,
    GatewayIdentity gateway,
    ConnectionRegistry connections,
    TopicSubscriptions topics,
    IOptions<GatewayOptions> options,
    TimeProvider clock,
    GatewayMetrics metrics,
    ILogger<ClientConnection> logger)
{
    /// <param name="batches">The stream under <paramref name="socket"/>, through which the heartbeat sweeper pings.</param>
    /// <param name="via">How the handshake was served (<see cref="GatewayMetrics.ViaTag"/>).</param>
    public async Task Serve(WebSocket socket, string userId, bool compact, SendBatchStream? batches, string via)
    {
        metrics.Upgrades.Add(1, new KeyValuePair<string, object?>(GatewayMetrics.ViaTag, via));
        var settings = options.Value;
        var instanceId = Guid.NewGuid().ToString("N");
        var connection = new ClientConnection(socket, userId, instanceId, settings, clock, metrics, logger, compact) { Batches = batches };
        var user = grains.GetGrain<IUserGrain>(userId);
        connections.Add(connection);
        metrics.Connections.Add(1);
        try
        {
            await user.Connect(new Realtime.Connections.ConnectionInfo(instanceId, gateway.Id, gateway.Reference));
            connection.Send(Welcome.Create(userId, instanceId, settings, compact));
            logger.LogInformation("User {UserId} connected as {InstanceId}", userId, instanceId);
            await connection.Run(user);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Connection {InstanceId} of user {UserId} could not be set up: {Error}", instanceId, userId, e.Message);
            connection.Close(CloseCodes.TryAgainLater, "the cluster is unavailable; try again", discardPending: true);
        }
        finally
        {
            connections.Remove(connection);
            metrics.Connections.Add(-1);
            topics.RemoveConnection(instanceId);
            await TellUserGrain(user, instanceId);
            logger.LogInformation("User {UserId} disconnected {InstanceId}", userId, instanceId);
        }
    }

    private async Task TellUserGrain(IUserGrain user, string instanceId)
    {
        try
        {
            await user.Disconnect(instanceId);
        }
        catch (Exception e)
        {
            // The grain forgets the connection on its own when this gateway stops refreshing it.
            logger.LogDebug("Disconnect of {InstanceId} not delivered: {Error}", instanceId, e.Message);
        }
    }
}
