using System.Diagnostics.Metrics;

namespace Realtime.Gateway.Connections;

/// <summary>The gateway's instruments, on the <c>Realtime.Gateway</c> meter (README, "What to watch").</summary>
internal sealed class GatewayMetrics : IDisposable
{
    private readonly Meter _meter = new("Realtime.Gateway");

    public GatewayMetrics()
    {
        Connections = _meter.CreateUpDownCounter<long>("realtime.gateway.connections", description: "Open WebSocket connections");
        LoginsRefused = _meter.CreateCounter<long>("realtime.gateway.logins.refused", description: "Upgrades answered 401, by reason");
        FramesIn = _meter.CreateCounter<long>("realtime.gateway.frames.in", description: "Frames received from clients");
        FramesOut = _meter.CreateCounter<long>("realtime.gateway.frames.out", description: "Frames written to clients, by type");
        Conflated = _meter.CreateCounter<long>("realtime.gateway.frames.conflated", description: "Chart frames replaced by a newer one before a slow client read them");
        Errors = _meter.CreateCounter<long>("realtime.gateway.errors", description: "Error frames sent, by code");
        Closes = _meter.CreateCounter<long>("realtime.gateway.closes", description: "Connections the server closed, by close code");
    }

    public UpDownCounter<long> Connections { get; }

    public Counter<long> LoginsRefused { get; }

    public Counter<long> FramesIn { get; }

    public Counter<long> FramesOut { get; }

    public Counter<long> Conflated { get; }

    public Counter<long> Errors { get; }

    public Counter<long> Closes { get; }

    public void Dispose() => _meter.Dispose();
}
