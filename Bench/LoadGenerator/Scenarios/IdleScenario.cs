using Realtime.Bench.Clients;

namespace Realtime.Bench.Scenarios;

/// <summary>
/// Memory per idle connection: open K connections that subscribe to nothing and compare the connection-holding
/// process's RSS (from /proc) before and after. A few connections are opened and closed first, so code paths
/// that run once (JIT, pools) are not charged to the K.
/// </summary>
public static class IdleScenario
{
    private const int WarmupConnections = 50;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Measures <paramref name="connections"/> idle connections, then keeps them open for <paramref name="hold"/> so a
    /// heap dump (dotnet-gcdump) can show what each one holds.
    /// </summary>
    public static async Task<IdleResult> Run(BenchTarget target, int connections, TimeSpan hold, CancellationToken cancellationToken)
    {
        var holders = target.ConnectionHolders.Count > 0 ? target.ConnectionHolders : throw new InvalidOperationException("Memory per connection needs the server in a process of its own");
        var others = target.ServerProcesses.Where(p => !holders.Contains(p)).ToArray();
        await using (await ClientFleet.Connect(target.Protocol, WarmupConnections, _ => [], null, cancellationToken))
        {
        }
        await Task.Delay(Settle, cancellationToken);
        var before = holders.Sum(p => p.RssBytes());
        var othersBefore = others.Sum(p => p.RssBytes());

        await using var fleet = await ClientFleet.Connect(target.Protocol, connections, _ => [], null, cancellationToken);
        await Task.Delay(Settle, cancellationToken);
        var after = holders.Sum(p => p.RssBytes());
        var othersAfter = others.Sum(p => p.RssBytes());
        await Task.Delay(hold, cancellationToken);
        return new IdleResult(target.Name, connections, fleet.Connected, fleet.ConnectTime, before / 1048576.0, after / 1048576.0, (othersAfter - othersBefore) / 1048576.0);
    }
}
