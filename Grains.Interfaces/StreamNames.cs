namespace Realtime;

/// <summary>Names of the Orleans stream provider and namespaces, shared by silos and clients.</summary>
public static class StreamNames
{
    public const string Provider = "quotes";

    /// <summary>Quote updates of one symbol (stream key: the symbol).</summary>
    public const string QuoteNamespace = "quote";
}
