using Orleans.Placement;

namespace Realtime.Quotes;

/// <summary>
/// Places a grain on the silo its symbol hashes to: a symbol's quote centre, its charts and its watchlist line land
/// together, so the ticks the centre pushes to them never leave the silo. The symbol is the grain key up to its
/// first <c>|</c> (a chart's key is <c>SYMBOL|PERIOD|INDICATORS</c>).
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
[Alias("realtime.SymbolPlacement")]
public sealed class SymbolPlacement : PlacementStrategy
{
}

/// <summary>Marks a grain class keyed by a symbol (or by <c>SYMBOL|...</c>) for <see cref="SymbolPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SymbolPlacementAttribute() : PlacementAttribute(new SymbolPlacement());
