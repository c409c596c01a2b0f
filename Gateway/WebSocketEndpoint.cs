using Microsoft.Extensions.Options;
using Realtime.Connections;
using Realtime.Gateway.Authentication;
using Realtime.Gateway.Connections;
using Realtime.Users;

namespace Realtime.Gateway;

/// <summary>
/// <c>GET /ws</c>: checks the Django session before accepting the upgrade (401 and no socket otherwise), tells the
/// user's grain, sends <c>welcome</c>, then runs the connection until either side closes.
/// </summary>
internal static class WebSocketEndpoint
{
    public static IEndpointConventionBuilder MapRealtimeWebSocket(this IEndpointRouteBuilder endpoints, string path = "/ws") =>
        endpoints.Map(path, Accept);

    private static async Task Accept(
        HttpContext http,
        SessionAuthenticator authenticator,
        IGrainFactory grains,
        GatewayIdentity gateway,
        ConnectionRegistry connections,
        ChartSubscriptions charts,
        GatewayDrain drain,
        IOptions<GatewayOptions> options,
        TimeProvider clock,
        GatewayMetrics metrics,
        ILogger<ClientConnection> logger)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsync("This endpoint takes WebSocket upgrades only.");
            return;
        }
        if (drain.IsDraining)
        {
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await http.Response.WriteAsync("This gateway is shutting down; connect to another.");
            return;
        }

        var login = await authenticator.Authenticate(http);
        if (login.UserId is not { } userId)
        {
            metrics.LoginsRefused.Add(1);
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await http.Response.WriteAsync($"Login refused: {login.Refusal}");
            return;
        }

        var settings = options.Value;
        using var socket = await http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = TimeSpan.FromSeconds(settings.HeartbeatSeconds),
            KeepAliveTimeout = TimeSpan.FromSeconds(settings.HeartbeatTimeoutSeconds),
        });
        var instanceId = Guid.NewGuid().ToString("N");
        var connection = new ClientConnection(socket, userId, instanceId, settings, clock, metrics, logger);
        var user = grains.GetGrain<IUserGrain>(userId);
        connections.Add(connection);
        metrics.Connections.Add(1);
        try
        {
            await user.Connect(new Realtime.Connections.ConnectionInfo(instanceId, gateway.Id, gateway.Reference));
            connection.Send(ServerFrame.Create("welcome", new
            {
                userId,
                instanceId,
                heartbeatSeconds = settings.HeartbeatSeconds,
                maxFrameBytes = settings.MaxFrameBytes,
            }));
            logger.LogInformation("User {UserId} connected as {InstanceId}", userId, instanceId);
            await connection.Run(user, http.RequestAborted);
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
            charts.RemoveConnection(instanceId);
            await TellUserGrain(user, instanceId, logger);
            logger.LogInformation("User {UserId} disconnected {InstanceId}", userId, instanceId);
        }
    }

    private static async Task TellUserGrain(IUserGrain user, string instanceId, ILogger logger)
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
