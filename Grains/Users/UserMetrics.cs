using System.Diagnostics.Metrics;

namespace Realtime.Users;

/// <summary>The user path's instruments, on the <c>Realtime.Users</c> meter.</summary>
public sealed class UserMetrics : IDisposable
{
    public const string MeterName = Hosting.Operations.RealtimeMeters.Users;

    private readonly Meter _meter = new(MeterName);

    public UserMetrics()
    {
        Handled = _meter.CreateCounter<long>("realtime.user.messages", description: "User messages handled, by type (unregistered types count as 'unknown')");
    }

    public Counter<long> Handled { get; }

    public void Dispose() => _meter.Dispose();
}
