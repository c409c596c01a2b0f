using Realtime.Connections;
using Realtime.Gateway.Compact;

namespace Realtime.Gateway.Connections;

/// <summary>The first frame of a connection (docs/protocol.md 1.3); a compact connection's names its protocol.</summary>
internal static class Welcome
{
    public const string Type = "welcome";

    public static ServerFrame Create(string userId, string instanceId, GatewayOptions settings, bool compact) => compact
        ? ServerFrame.Create(Type, new
        {
            userId,
            instanceId,
            heartbeatSeconds = settings.HeartbeatSeconds,
            maxFrameBytes = settings.MaxFrameBytes,
            protocol = CompactProtocol.Name,
        })
        // The JSON protocol's welcome stays byte for byte what clients that predate the compact form read.
        : ServerFrame.Create(Type, new
        {
            userId,
            instanceId,
            heartbeatSeconds = settings.HeartbeatSeconds,
            maxFrameBytes = settings.MaxFrameBytes,
        });
}
