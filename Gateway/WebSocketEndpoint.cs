using Microsoft.Extensions.Options;
using Realtime.Connections;
using Realtime.Gateway.Authentication;
using Realtime.Gateway.Compact;
using Realtime.Gateway.Connections;
using Realtime.Gateway.Security;
using Realtime.Users;

namespace Realtime.Gateway;

/// <summary>
/// <c>GET /ws</c>: checks the page's origin (403), then the Django session before accepting the upgrade (401 for a bad
/// session, 503 when it cannot be read, and no socket), tells the user's grain, sends <c>welcome</c>, then runs the
/// connection until either side closes.
/// </summary>
internal static class WebSocketEndpoint
{
    public const string Path = "/ws";

    public static IEndpointConventionBuilder MapRealtimeWebSocket(this IEndpointRouteBuilder endpoints) =>
        endpoints.Map(Path, Accept);

    private static async Task Accept(
        HttpContext http,
        SessionAuthenticator authenticator,
        IGrainFactory grains,
        GatewayIdentity gateway,
        ConnectionRegistry connections,
        TopicSubscriptions topics,
        GatewayDrain drain,
        IOptions<GatewayOptions> options,
        TimeProvider clock,
        GatewayMetrics metrics,
        OriginPolicy origins,
        ILogger<ClientConnection> logger)
    {
        // Before anything reads the cookie: a page of another site must learn nothing about the user's session.
        if (!origins.Allows(http.Request))
        {
            await Refuse(http, StatusCodes.Status403Forbidden, "This page's origin may not connect here (Gateway:AllowedOrigins).");
            return;
        }
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
        if (login.StoreUnavailable)
        {
            metrics.LoginsUnavailable.Add(1);
            SessionStoreOutage.AddRetryAfter(http.Response);
            await Refuse(http, StatusCodes.Status503ServiceUnavailable, $"Login not checked: {login.Refusal}");
            return;
        }
        if (login.UserId is not { } userId)
        {
            metrics.LoginsRefused.Add(1);
            await Refuse(http, StatusCodes.Status401Unauthorized, $"Login refused: {login.Refusal}");
            return;
        }

        var settings = options.Value;
        // Any other subprotocol offered is ignored: the client gets the JSON protocol, and no subprotocol is named back.
        var compact = http.WebSockets.WebSocketRequestedProtocols.Contains(CompactProtocol.Name, StringComparer.Ordinal);
        // Through a SendBatchStream the gateway's HeartbeatSweeper keeps the heartbeat, and the socket has no timer.
        var swept = SendBatchUpgrade.Applies(http);
        using var socket = await http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            SubProtocol = compact ? CompactProtocol.Name : null,
            KeepAliveInterval = swept ? TimeSpan.Zero : TimeSpan.FromSeconds(settings.HeartbeatSeconds),
            KeepAliveTimeout = swept ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(settings.HeartbeatTimeoutSeconds),
            // Only when the client offers permessage-deflate; ours carry no secrets an attacker could guess by size.
            DangerousEnableCompression = settings.PermessageDeflate,
            DisableServerContextTakeover = !settings.DeflateContextTakeover,
        });
        var instanceId = Guid.NewGuid().ToString("N");
        var connection = new ClientConnection(socket, userId, instanceId, settings, clock, metrics, logger, compact) { Batches = SendBatchUpgrade.Of(http) };
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
            await TellUserGrain(user, instanceId, logger);
            logger.LogInformation("User {UserId} disconnected {InstanceId}", userId, instanceId);
        }
    }

    private static Task Refuse(HttpContext http, int status, string why)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsync(why);
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
