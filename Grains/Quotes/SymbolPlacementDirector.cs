using Orleans.Runtime.Placement;

namespace Realtime.Quotes;

/// <summary>
/// Chooses the silo of a <see cref="SymbolPlacement"/> grain: the symbol's stable hash over the compatible silos in
/// address order, so every silo makes the same choice for the same cluster. When silos come or go, grains already
/// active stay where they are and only new activations follow the new choice; co-location then returns as grains
/// re-activate, and nothing depends on it but speed.
/// </summary>
internal sealed class SymbolPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target);
        if (silos.Length == 1)
        {
            return Task.FromResult(silos[0]);
        }
        var ordered = silos.OrderBy(s => s.ToParsableString(), StringComparer.Ordinal).ToArray();
        return Task.FromResult(ordered[StableHash(SymbolOf(target.GrainIdentity)) % (uint)ordered.Length]);
    }

    internal static string SymbolOf(GrainId grain)
    {
        var key = grain.Key.ToString();
        var end = key.IndexOf('|');
        return end < 0 ? key : key[..end];
    }

    /// <summary>FNV-1a: the same on every silo and every run, which <see cref="string.GetHashCode()"/> is not.</summary>
    internal static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return hash;
    }
}
