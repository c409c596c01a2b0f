using Orleans.Runtime;
namespace Realtime.Quotes;

/// <summary>Which symbols the server holds quotes for: for processes that hold no quote store of their own (the gateway's UDF).</summary>
[Alias("realtime.ISymbolCatalogGrain"), GrainInterfaceType("Realtime.Quotes.ISymbolCatalogGrain")]
public interface ISymbolCatalogGrain : IGrainWithIntegerKey
{
    /// <summary>Every symbol with quotes or history, sorted.</summary>
    Task<string[]> Symbols();

    Task<bool> IsKnown(string symbol);
}
