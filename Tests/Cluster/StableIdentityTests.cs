using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using Orleans.Runtime;
using Orleans.Serialization.TypeSystem;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Cluster;

/// <summary>
/// Every grain class, grain interface and serialized type has a stable identity written on it, so a class can move
/// folder, namespace or assembly without breaking a running cluster (a rolling upgrade mixes two builds) or state
/// persisted in Redis. The identities released so far are listed here and must never change (docs/compatibility.md).
/// </summary>
public sealed class StableIdentityTests
{
    private static readonly Assembly Grains = typeof(Realtime.Charts.ChartAgent).Assembly;
    private static readonly Assembly Contracts = typeof(Realtime.Quotes.IChartGrain).Assembly;

    /// <summary>Grain classes and their grain types: part of every grain id, so of every persisted grain's Redis key.</summary>
    private static readonly Dictionary<string, string> ReleasedGrainTypes = new()
    {
        ["ChartGrain"] = "chart",
        ["PresenceGrain"] = "presence",
        ["QuoteCentreGrain"] = "quotecentre",
        ["SymbolCatalogGrain"] = "symbolcatalog",
        ["ServiceQueuePumpGrain"] = "servicequeuepump",
        ["SiteGrain"] = "site",
        ["GatewayDirectoryGrain"] = "gatewaydirectory",
        ["UserGrain"] = "user",
        ["TickerGrain"] = "ticker",
    };

    /// <summary>
    /// Grain interfaces: their serializer alias (generated proxies and invokers are named after it) and their grain
    /// interface type (written in every grain reference, including those persisted in grain state).
    /// </summary>
    private static readonly Dictionary<string, (string Alias, string InterfaceType)> ReleasedInterfaces = new()
    {
        ["IGatewayDirectoryGrain"] = ("realtime.IGatewayDirectoryGrain", "Realtime.Connections.IGatewayDirectoryGrain"),
        ["IGatewayObserver"] = ("realtime.IGatewayObserver", "Realtime.Connections.IGatewayObserver"),
        ["IPresenceGrain"] = ("realtime.IPresenceGrain", "Realtime.Presence.IPresenceGrain"),
        ["IChartGrain"] = ("realtime.IChartGrain", "Realtime.Quotes.IChartGrain"),
        ["IQuoteCentreGrain"] = ("realtime.IQuoteCentreGrain", "Realtime.Quotes.IQuoteCentreGrain"),
        ["ISymbolCatalogGrain"] = ("realtime.ISymbolCatalogGrain", "Realtime.Quotes.ISymbolCatalogGrain"),
        ["IServiceQueuePumpGrain"] = ("realtime.IServiceQueuePumpGrain", "Realtime.Services.IServiceQueuePumpGrain"),
        ["ISiteGrain"] = ("realtime.ISiteGrain", "Realtime.Services.ISiteGrain"),
        ["ITopicGrain"] = ("realtime.ITopicGrain", "Realtime.Topics.ITopicGrain"),
        ["IUserGrain"] = ("realtime.IUserGrain", "Realtime.Users.IUserGrain"),
        ["ITickerGrain"] = ("realtime.ITickerGrain", "Realtime.Watchlist.ITickerGrain"),
        ["IQuoteListener"] = ("realtime.IQuoteListener", "Realtime.Quotes.IQuoteListener"),
    };

    /// <summary>Serialized types: the name the serializer writes where a value's type is not implied by its field.</summary>
    private static readonly Dictionary<string, string> ReleasedTypes = new()
    {
        ["ConnectionInfo"] = "realtime.ConnectionInfo",
        ["MergeableContent"] = "realtime.MergeableContent",
        ["ServerFrame"] = "realtime.ServerFrame",
        ["PresenceAnswer"] = "realtime.PresenceAnswer",
        ["PresenceCount"] = "realtime.PresenceCount",
        ["PresencePage"] = "realtime.PresencePage",
        ["PresenceQuery"] = "realtime.PresenceQuery",
        ["PresenceReport"] = "realtime.PresenceReport",
        ["Bar"] = "realtime.Bar",
        ["ChartOpenRequest"] = "realtime.ChartOpenRequest",
        ["ChartPoint"] = "realtime.ChartPoint",
        ["ChartResume"] = "realtime.ChartResume",
        ["ChartStats"] = "realtime.ChartStats",
        ["ChartUpdate"] = "realtime.ChartUpdate",
        ["PeriodBar"] = "realtime.PeriodBar",
        ["Quote"] = "realtime.Quote",
        ["QuoteHistory"] = "realtime.QuoteHistory",
        ["QuoteHistoryPage"] = "realtime.QuoteHistoryPage",
        ["QuoteTick"] = "realtime.QuoteTick",
        ["PumpStatus"] = "realtime.PumpStatus",
        ["SiteCommand"] = "realtime.SiteCommand",
        ["OpenOutcome"] = "realtime.OpenOutcome",
        ["TopicPosition"] = "realtime.TopicPosition",
        ["UserMessage"] = "realtime.UserMessage",
        ["TickerLine"] = "realtime.TickerLine",
        ["TickerUpdate"] = "realtime.TickerUpdate",
        ["TopicGatewaysState"] = "realtime.TopicGatewaysState",
        ["UserConnectionsState"] = "realtime.UserConnectionsState",
        ["QuoteListenersState"] = "realtime.QuoteListenersState",
        ["SymbolPlacement"] = "realtime.SymbolPlacement",
    };

    private static IEnumerable<Type> GrainClasses =>
        Grains.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(Grain).IsAssignableFrom(t));

    private static IEnumerable<Type> GrainInterfaces =>
        Contracts.GetTypes().Concat(Grains.GetTypes()).Where(t => t.IsInterface && typeof(IAddressable).IsAssignableFrom(t));

    private static IEnumerable<Type> SerializedTypes =>
        Contracts.GetTypes().Concat(Grains.GetTypes()).Where(t => t.GetCustomAttribute<GenerateSerializerAttribute>() is not null);

    [Fact]
    public void Every_grain_class_has_a_grain_type_and_no_two_share_one()
    {
        var missing = GrainClasses.Where(t => t.GetCustomAttribute<GrainTypeAttribute>() is null).Select(t => t.FullName).ToList();
        Assert.True(missing.Count == 0, $"[GrainType(\"...\")] missing on {string.Join(", ", missing)}");
        AssertUnique(GrainClasses.Select(t => (t, GrainTypeOf(t))), "grain type");
    }

    [Fact]
    public void Every_grain_interface_has_an_alias_and_a_grain_interface_type_and_no_two_share_one()
    {
        var missing = GrainInterfaces.Where(t => AliasOf(t) is null || t.GetCustomAttribute<GrainInterfaceTypeAttribute>() is null)
            .Select(t => t.FullName).ToList();
        Assert.True(missing.Count == 0, $"[Alias(\"...\"), GrainInterfaceType(\"...\")] missing on {string.Join(", ", missing)}");
        AssertUnique(GrainInterfaces.Select(t => (t, InterfaceTypeOf(t))), "grain interface type");
    }

    [Fact]
    public void Every_serialized_type_has_an_alias_and_no_two_types_or_interfaces_share_one()
    {
        var missing = SerializedTypes.Where(t => AliasOf(t) is null).Select(t => t.FullName).ToList();
        Assert.True(missing.Count == 0, $"[Alias(\"...\")] missing on {string.Join(", ", missing)}");
        AssertUnique(SerializedTypes.Concat(GrainInterfaces).Select(t => (t, AliasOf(t)!)), "alias");
    }

    [Fact]
    public void No_released_identity_changed_or_disappeared()
    {
        var grainTypes = GrainClasses.ToDictionary(t => t.Name, GrainTypeOf);
        var interfaces = GrainInterfaces.ToDictionary(t => t.Name, t => (AliasOf(t), t.GetCustomAttribute<GrainInterfaceTypeAttribute>() is null ? null : InterfaceTypeOf(t)));
        var types = SerializedTypes.ToDictionary(t => t.Name, t => AliasOf(t));

        Assert.All(ReleasedGrainTypes, r => Assert.Equal(r.Value, grainTypes.GetValueOrDefault(r.Key)));
        Assert.All(ReleasedInterfaces, r => Assert.Equal<(string?, string?)>(r.Value, interfaces.GetValueOrDefault(r.Key)));
        Assert.All(ReleasedTypes, r => Assert.Equal(r.Value, types.GetValueOrDefault(r.Key)));
    }

    [Fact]
    public async Task A_silo_names_grains_interfaces_and_types_as_their_attributes_say_and_as_it_did_before_they_were_written()
    {
        await using var cluster = new RealtimeCluster(RedisServer.Shared);
        await cluster.StartSilo();
        var services = cluster.Silos[0].Services;
        var grainTypes = services.GetRequiredService<GrainTypeResolver>();
        var interfaceTypes = services.GetRequiredService<GrainInterfaceTypeResolver>();
        var converter = services.GetRequiredService<TypeConverter>();

        // Orleans' own convention for a class without the attribute (a test grain): the pinned names follow it.
        Assert.Equal("clusterprobe", grainTypes.GetGrainType(typeof(ClusterProbeGrain)).ToString());
        Assert.Equal(typeof(IClusterProbeGrain).FullName, interfaceTypes.GetGrainInterfaceType(typeof(IClusterProbeGrain)).ToString());
        Assert.Equal($"{typeof(IClusterProbeGrain).FullName},{typeof(IClusterProbeGrain).Assembly.GetName().Name}", converter.Format(typeof(IClusterProbeGrain)));

        Assert.All(GrainClasses, t => Assert.Equal(GrainTypeOf(t), grainTypes.GetGrainType(t).ToString()));
        Assert.All(GrainInterfaces, t => Assert.Equal(InterfaceTypeOf(t), interfaceTypes.GetGrainInterfaceType(t).ToString()));
        Assert.All(SerializedTypes.Concat(GrainInterfaces), t => Assert.Equal(AliasOf(t)!, converter.Format(t)));
    }

    // Its own alias: Orleans' AliasAttribute is inherited, so a derived record would otherwise show its base's too.
    private static string? AliasOf(Type type) => type.GetCustomAttributes<AliasAttribute>(inherit: false).SingleOrDefault()?.Alias;

    // The attributes read no services for a fixed name.
    private static string GrainTypeOf(Type grainClass) => grainClass.GetCustomAttribute<GrainTypeAttribute>()!.GetGrainType(null!, grainClass).ToString()!;

    private static string InterfaceTypeOf(Type grainInterface) =>
        grainInterface.GetCustomAttribute<GrainInterfaceTypeAttribute>()!.GetGrainInterfaceType(null!, grainInterface).ToString()!;

    private static void AssertUnique(IEnumerable<(Type Type, string Name)> named, string what)
    {
        var shared = named.GroupBy(n => n.Name).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(n => n.Type.FullName))}").ToList();
        Assert.True(shared.Count == 0, $"the same {what} on more than one type: {string.Join("; ", shared)}");
    }
}
