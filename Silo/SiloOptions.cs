namespace Realtime.Silo;

/// <summary>Configuration section <c>Silo</c>: what this silo process serves besides grains.</summary>
public sealed class SiloOptions
{
    public const string Section = "Silo";

    /// <summary>
    /// Serve the WebSocket front door (<c>/ws</c>, the HTTP API, UDF, the client library) from this process too: one
    /// process when one machine is enough, with no hop between the gateway and the grains. Separate gateway
    /// processes remain the way to scale out; a cluster may mix both.
    /// </summary>
    public bool EmbeddedGateway { get; set; }
}
