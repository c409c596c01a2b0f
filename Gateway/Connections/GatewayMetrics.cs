using System.Diagnostics.Metrics;

namespace Realtime.Gateway.Connections;

/// <summary>The gateway's instruments, on the <c>Realtime.Gateway</c> meter (README, "What to watch").</summary>
internal sealed class GatewayMetrics : IDisposable
{
    public const string MeterName = Realtime.Hosting.Operations.RealtimeMeters.Gateway;
    public const string OriginsRefusedName = "realtime.gateway.origins.refused";
    public const string LoginsUnavailableName = "realtime.gateway.logins.unavailable";

    /// <summary>Tag of <see cref="OriginsRefused"/>: the endpoint the page tried.</summary>
    public const string PathTag = "path";

    /// <summary>Tag of <see cref="Upgrades"/>: which way the handshake was served.</summary>
    public const string ViaTag = "via";

    /// <summary><see cref="ViaTag"/>: parsed by the gateway (<c>Gateway:DirectUpgrade</c>), or by Kestrel's HTTP layer.</summary>
    public const string ViaDirect = "direct", ViaHttp = "http";

    private readonly Meter _meter = new(MeterName);

    public GatewayMetrics()
    {
        Connections = _meter.CreateUpDownCounter<long>("realtime.gateway.connections", description: "Open WebSocket connections");
        Upgrades = _meter.CreateCounter<long>("realtime.gateway.upgrades", description: "WebSockets accepted, by the way the handshake was served (via)");
        LoginsRefused = _meter.CreateCounter<long>("realtime.gateway.logins.refused", description: "Upgrades answered 401, by reason");
        OriginsRefused = _meter.CreateCounter<long>(OriginsRefusedName, description: "Browser requests refused with 403 because their page's origin is not allowed, by path");
        LoginsUnavailable = _meter.CreateCounter<long>(LoginsUnavailableName, description: "Logins answered 503 because the session store could not be read");
        FramesIn = _meter.CreateCounter<long>("realtime.gateway.frames.in", description: "Frames received from clients");
        FramesOut = _meter.CreateCounter<long>("realtime.gateway.frames.out", description: "Frames written to clients, by type");
        Conflated = _meter.CreateCounter<long>("realtime.gateway.frames.conflated", description: "Chart frames replaced by a newer one before a slow client read them");
        Errors = _meter.CreateCounter<long>("realtime.gateway.errors", description: "Error frames sent, by code");
        Closes = _meter.CreateCounter<long>("realtime.gateway.closes", description: "Connections the server closed, by close code");
    }

    public UpDownCounter<long> Connections { get; }

    public Counter<long> Upgrades { get; }

    public Counter<long> LoginsRefused { get; }

    public Counter<long> OriginsRefused { get; }

    public Counter<long> LoginsUnavailable { get; }

    public Counter<long> FramesIn { get; }

    public Counter<long> FramesOut { get; }

    public Counter<long> Conflated { get; }

    public Counter<long> Errors { get; }

    public Counter<long> Closes { get; }

    public void Dispose() => _meter.Dispose();
}
