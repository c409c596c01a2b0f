using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace Realtime.Gateway.Connections;

/// <summary>
/// Caps the kernel's send buffer of every WebSocket connection at <see cref="GatewayOptions.SocketSendBufferBytes"/>.
/// Linux otherwise grows a socket's send buffer up to <c>tcp_wmem</c>'s maximum (4 MiB), and a client that stops
/// reading then has megabytes of stale frames waiting for it in the kernel, out of the reach of the gateway's
/// conflation. With the cap, what a paused reader can be owed stays small and the rest waits in the gateway's queue,
/// where chart updates are merged into the latest state. Kestrel's own output buffer in front of the socket is capped
/// the same way, and so is the socket transport's (each would otherwise hold up to 64 KiB more).
/// </summary>
/// <remarks>Goes after <c>UseWebSockets</c>, which is what makes a request recognisable as an upgrade.</remarks>
internal static class SocketSendBuffer
{
    public static IServiceCollection AddBoundedResponseBuffer(this IServiceCollection services)
    {
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<GatewayOptions>>((kestrel, gateway) =>
            kestrel.Limits.MaxResponseBufferSize = gateway.Value.SocketSendBufferBytes);
        services.AddOptions<SocketTransportOptions>().Configure<IOptions<GatewayOptions>>((transport, gateway) =>
            transport.MaxWriteBufferSize = gateway.Value.SocketSendBufferBytes);
        return services;
    }

    public static IApplicationBuilder UseBoundedSocketSendBuffer(this IApplicationBuilder app)
    {
        var bytes = app.ApplicationServices.GetRequiredService<IOptions<GatewayOptions>>().Value.SocketSendBufferBytes;
        return app.Use((context, next) =>
        {
            if (context.WebSockets.IsWebSocketRequest)
            {
                Bound(context.Features, bytes);
            }
            return next(context);
        });
    }

    /// <summary>Caps the send buffer of the socket under <paramref name="connection"/>'s features, when it has one.</summary>
    public static void Bound(IFeatureCollection connection, int bytes)
    {
        if (connection.Get<IConnectionSocketFeature>()?.Socket is { } socket)
        {
            // The kernel doubles the value for its bookkeeping; what it holds of frames is about this much.
            socket.SendBufferSize = bytes;
        }
    }
}
