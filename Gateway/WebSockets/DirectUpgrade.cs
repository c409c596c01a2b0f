using System.IO.Pipelines;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Realtime.Gateway.Authentication;
using Realtime.Gateway.Compact;
using Realtime.Gateway.Connections;
using Realtime.Gateway.Security;

namespace Realtime.Gateway.WebSockets;

/// <summary>
/// Kestrel connection middleware that serves a plain WebSocket handshake to <c>/ws</c> itself
/// (<see cref="GatewayOptions.DirectUpgrade"/>): it parses the head, admits it as <see cref="WebSocketEndpoint"/> does,
/// answers 101 and makes the WebSocket over the connection's pipes. An upgrade through Kestrel's HTTP layer keeps its
/// request, its features, header tables and state machines for the WebSocket's whole life; this keeps none of them.
/// </summary>
/// <remarks>
/// It looks only at the first bytes of a connection and examines none of them unless it serves them, so every other
/// connection (HTTP requests, TLS, HTTP/2, a handshake split over several packets) reaches Kestrel untouched.
/// </remarks>
internal sealed class DirectUpgrade(
    WebSocketAdmission admission,
    WebSocketSessions sessions,
    SessionAuthenticator authenticator,
    IOptions<GatewayOptions> options,
    IOptions<KestrelServerOptions> kestrel)
{
    public async Task OnConnection(ConnectionContext connection, ConnectionDelegate next)
    {
        var settings = options.Value;
        if (!settings.DirectUpgrade)
        {
            await next(connection);
            return;
        }
        var input = connection.Transport.Input;
        ReadResult first;
        try
        {
            first = await FirstRead(input);
        }
        catch (OperationCanceledException)
        {
            // Nothing came within Kestrel's keep-alive timeout: closed, as Kestrel closes such a connection.
            return;
        }
        var head = UpgradeHead.TryParse(first.Buffer, out var end);
        if (head is null || (head.OffersDeflate && settings.PermessageDeflate))
        {
            // Nothing consumed or examined: Kestrel reads the same bytes at once.
            input.AdvanceTo(first.Buffer.Start);
            await next(connection);
            return;
        }
        input.AdvanceTo(end);
        // What the handshake needs of the head is read before the connection's life starts, so an open WebSocket
        // keeps none of its strings.
        if (await Handshake(connection, head, settings) is not { } accepted)
        {
            return;
        }
        // The HeartbeatSweeper keeps the heartbeat through the batching stream, so the WebSocket has no timer.
        var batches = new SendBatchStream(new TransportStream(connection.Transport)) { PlainFrames = true };
        using var socket = WebSocket.CreateFromStream(batches, new WebSocketCreationOptions
        {
            IsServer = true,
            SubProtocol = accepted.SubProtocol,
            KeepAliveInterval = TimeSpan.Zero,
        });
        await sessions.Serve(socket, accepted.UserId, accepted.SubProtocol is not null, batches, GatewayMetrics.ViaDirect);
    }

    private async ValueTask<ReadResult> FirstRead(PipeReader input)
    {
        if (input.TryRead(out var ready))
        {
            return ready;
        }
        using var timeout = new CancellationTokenSource(kestrel.Value.Limits.KeepAliveTimeout);
        return await input.ReadAsync(timeout.Token);
    }

    /// <summary>Admits the upgrade and answers 101 (null: refused, and answered so).</summary>
    private async Task<(string UserId, string? SubProtocol)?> Handshake(ConnectionContext connection, UpgradeHead head, GatewayOptions settings)
    {
        var output = connection.Transport.Output;
        // Only cleartext reaches here (a TLS handshake does not parse as a head), so the scheme is http.
        var origin = new RequestOrigin(head.Origin, WebSocketEndpoint.Path, head.Host, Uri.UriSchemeHttp, head.ForwardedProto);
        var answer = await admission.Admit(new UpgradeRequest(origin, IsWebSocketRequest: true, authenticator.SessionIdOf(head.Cookie, head.Query)));
        if (answer.UserId is not { } userId)
        {
            await HandshakeResponse.Refuse(output, answer);
            return null;
        }
        // Any other subprotocol offered is ignored: the client gets the JSON protocol, and no subprotocol is named back.
        var subProtocol = head.Protocols.Contains(CompactProtocol.Name) ? CompactProtocol.Name : null;
        SocketSendBuffer.Bound(connection.Features, settings.SocketSendBufferBytes);
        await HandshakeResponse.SwitchProtocols(output, head.Key, subProtocol);
        return (userId, subProtocol);
    }
}

internal static class DirectUpgradeExtensions
{
    /// <summary>Connections to <paramref name="listen"/> go through <see cref="DirectUpgrade"/> first.</summary>
    public static ListenOptions UseDirectUpgrade(this ListenOptions listen)
    {
        listen.Use(next =>
        {
            var direct = listen.ApplicationServices.GetRequiredService<DirectUpgrade>();
            return connection => direct.OnConnection(connection, next);
        });
        return listen;
    }
}
