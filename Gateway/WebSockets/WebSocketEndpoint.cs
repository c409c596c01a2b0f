using Microsoft.Extensions.Options;
using Realtime.Gateway.Authentication;
using Realtime.Gateway.Compact;
using Realtime.Gateway.Connections;
using Realtime.Gateway.Security;

namespace Realtime.Gateway.WebSockets;

/// <summary>
/// <c>GET /ws</c> through Kestrel's HTTP layer: upgrades <see cref="DirectUpgrade"/> leaves to it (TLS terminated by
/// Kestrel, permessage-deflate, HTTP/2, a request that was not the first on its connection, an unusual handshake).
/// Admission and the connection's life are the same either way.
/// </summary>
internal static class WebSocketEndpoint
{
    public const string Path = "/ws";

    public static IEndpointConventionBuilder MapRealtimeWebSocket(this IEndpointRouteBuilder endpoints) =>
        endpoints.Map(Path, Accept);

    private static async Task Accept(
        HttpContext http,
        WebSocketAdmission admission,
        WebSocketSessions sessions,
        SessionAuthenticator authenticator,
        IOptions<GatewayOptions> options)
    {
        var request = new UpgradeRequest(OriginPolicy.OriginOf(http.Request), http.WebSockets.IsWebSocketRequest, authenticator.SessionIdOf(http.Request));
        var answer = await admission.Admit(request);
        if (answer.UserId is not { } userId)
        {
            http.Response.StatusCode = answer.Status;
            if (answer.RetryLater)
            {
                SessionStoreOutage.AddRetryAfter(http.Response);
            }
            await http.Response.WriteAsync(answer.Refusal!);
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
        await sessions.Serve(socket, userId, compact, SendBatchUpgrade.Of(http), GatewayMetrics.ViaHttp);
    }
}
