namespace Realtime.Bench.Scenarios;

/// <summary>
/// Memory of idle connections: the connection-holding process's RSS before and after they opened, and the same
/// for the server's other processes (ours: the silo, where each user has a grain).
/// </summary>
public sealed record IdleResult(string Server, int Requested, int Connected, TimeSpan ConnectTime, double RssBeforeMiB, double RssAfterMiB, double OtherProcessesDeltaMiB)
{
    public double KiBPerConnection => Connected == 0 ? double.NaN : (RssAfterMiB - RssBeforeMiB) * 1024 / Connected;

    public double OtherKiBPerConnection => Connected == 0 ? double.NaN : OtherProcessesDeltaMiB * 1024 / Connected;

    public double TotalKiBPerConnection => KiBPerConnection + OtherKiBPerConnection;

    public double ConnectsPerSecond => Connected / ConnectTime.TotalSeconds;
}
