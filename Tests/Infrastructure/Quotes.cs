using Realtime.Services;

namespace Realtime.Tests.Infrastructure;

/// <summary>Pushes quote and bar messages onto a cluster's queue as a quote forwarder would.</summary>
public static class Quotes
{
    /// <summary>2026-01-01T00:00:00Z in unix ms: a minute boundary, far from any real clock.</summary>
    public const long T0 = 1_767_225_600_000;

    public static Task Push(RealtimeCluster cluster, string symbol, double price, double volume, long time) =>
        new ServiceQueueClient(cluster.Redis.Connection, "tests").Push(cluster.Queue, "quote", new { symbol, price, volume, time });

    public static Task Backfill(RealtimeCluster cluster, string symbol, string period, IEnumerable<double[]> bars) =>
        new ServiceQueueClient(cluster.Redis.Connection, "tests").Push(cluster.Queue, "bars", new { symbol, period, bars });

    /// <summary>Backfills 30 rising one-minute bars of <paramref name="symbol"/> (<see cref="Rising"/>) and waits until its quote centre holds them.</summary>
    public static async Task BackfillHistory(RealtimeCluster cluster, string symbol)
    {
        await Backfill(cluster, symbol, "1m", Rising(30));
        await Eventually.True(() => cluster.Grains.GetGrain<Realtime.Quotes.IQuoteCentreGrain>(symbol).Exists(), "the backfill reached the quote centre", TimeSpan.FromSeconds(60));
    }

    /// <summary>One-minute bars from <see cref="T0"/> with closes 100, 101, 102, ...</summary>
    public static IEnumerable<double[]> Rising(int count) =>
        Enumerable.Range(0, count).Select(i => new double[] { T0 + i * 60_000L, 100 + i, 100.5 + i, 99.5 + i, 100 + i, 10 });
}
