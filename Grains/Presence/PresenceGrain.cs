using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace Realtime.Presence;

/// <summary>
/// Sums the gateways' reports (<see cref="IPresenceGrain"/>). Totals are kept as reports arrive, so a query costs
/// one lookup per user or chart asked for. A gateway whose reports stop is dropped after the expiry it announced
/// (three report intervals), so a gateway that died leaves the counts within seconds, without anyone stepping in.
/// </summary>
[GrainType("presence")]
internal sealed class PresenceGrain(TimeProvider clock, ILogger<PresenceGrain> logger) : Grain, IPresenceGrain
{
    internal static readonly TimeSpan ExpiryCheck = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, GatewayCounts> _gateways = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _topics = new(StringComparer.Ordinal);
    private int _connections;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(Expire, ExpiryCheck, ExpiryCheck);
        return Task.CompletedTask;
    }

    public Task<bool> Report(PresenceReport report)
    {
        var known = _gateways.TryGetValue(report.GatewayId, out var gateway);
        if (!report.Full && (!known || report.Seq != gateway!.Seq + 1))
        {
            return Task.FromResult(false);
        }
        if (!known)
        {
            _gateways[report.GatewayId] = gateway = new GatewayCounts();
        }
        if (report.Full)
        {
            Apply(gateway!.Users, _users, gateway.Users.Keys.ToDictionary(k => k, _ => 0), countsConnections: true);
            Apply(gateway.Topics, _topics, gateway.Topics.Keys.ToDictionary(k => k, _ => 0), countsConnections: false);
        }
        Apply(gateway!.Users, _users, report.Users, countsConnections: true);
        Apply(gateway.Topics, _topics, report.Topics, countsConnections: false);
        gateway.Seq = report.Seq;
        gateway.Seen = clock.GetUtcNow();
        gateway.ExpireAfter = report.ExpireAfter;
        return Task.FromResult(true);
    }

    public Task Forget(string gatewayId)
    {
        Remove(gatewayId);
        return Task.CompletedTask;
    }

    public Task<PresenceAnswer> Query(PresenceQuery query) => Task.FromResult(new PresenceAnswer(
        _users.Count,
        _connections,
        [.. query.Users.Select(user => new PresenceCount(user, _users.GetValueOrDefault(user)))],
        [.. query.Charts.Select(chart => new PresenceCount(chart, _topics.GetValueOrDefault(ChartTopic(chart))))]));

    /// <summary>Gateways count watchers per topic, and a chart's topic is its chart grain's id.</summary>
    private string ChartTopic(string chartKey) => GrainFactory.GetGrain<Realtime.Quotes.IChartGrain>(chartKey).GetGrainId().ToString();

    public Task<PresencePage> Online(string? after, int limit)
    {
        var page = _users
            .Where(u => after is null || string.CompareOrdinal(u.Key, after) > 0)
            .OrderBy(u => u.Key, StringComparer.Ordinal)
            .Take(limit + 1)
            .Select(u => new PresenceCount(u.Key, u.Value))
            .ToList();
        var more = page.Count > limit;
        if (more)
        {
            page.RemoveAt(limit);
        }
        return Task.FromResult(new PresencePage(_users.Count, _connections, [.. page], more ? page[^1].Key : null));
    }

    /// <summary>Sets the gateway's counts to <paramref name="changes"/> (0 removes) and moves the totals by the difference.</summary>
    private void Apply(Dictionary<string, int> mine, Dictionary<string, int> totals, IReadOnlyDictionary<string, int> changes, bool countsConnections)
    {
        foreach (var (key, count) in changes)
        {
            var before = mine.GetValueOrDefault(key);
            var now = Math.Max(count, 0);
            if (now == before)
            {
                continue;
            }
            if (now == 0)
            {
                mine.Remove(key);
            }
            else
            {
                mine[key] = now;
            }
            var total = totals.GetValueOrDefault(key) + now - before;
            if (total <= 0)
            {
                totals.Remove(key);
            }
            else
            {
                totals[key] = total;
            }
            if (countsConnections)
            {
                _connections += now - before;
            }
        }
    }

    private void Remove(string gatewayId)
    {
        if (!_gateways.Remove(gatewayId, out var gateway))
        {
            return;
        }
        Apply(gateway.Users, _users, gateway.Users.Keys.ToDictionary(k => k, _ => 0), countsConnections: true);
        Apply(gateway.Topics, _topics, gateway.Topics.Keys.ToDictionary(k => k, _ => 0), countsConnections: false);
    }

    private Task Expire()
    {
        var now = clock.GetUtcNow();
        foreach (var (gatewayId, gateway) in _gateways.Where(g => now - g.Value.Seen > g.Value.ExpireAfter).ToArray())
        {
            logger.LogInformation("Gateway {GatewayId} stopped reporting presence {Silence} ago; its {Connections} connections no longer count",
                gatewayId, now - gateway.Seen, gateway.Users.Values.Sum());
            Remove(gatewayId);
        }
        return Task.CompletedTask;
    }

    private sealed class GatewayCounts
    {
        public Dictionary<string, int> Users { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, int> Topics { get; } = new(StringComparer.Ordinal);

        public long Seq { get; set; }

        public DateTimeOffset Seen { get; set; }

        public TimeSpan ExpireAfter { get; set; }
    }
}
