using Orleans.Concurrency;

namespace Realtime.Quotes;

/// <summary>Reads the symbol set from the quote store; stateless, so every silo answers locally.</summary>
[StatelessWorker]
[GrainType("symbolcatalog")]
internal sealed class SymbolCatalogGrain(QuoteHistoryStore store) : Grain, ISymbolCatalogGrain
{
    public Task<string[]> Symbols() => store.Symbols();

    public Task<bool> IsKnown(string symbol) => store.IsKnown(symbol);
}
