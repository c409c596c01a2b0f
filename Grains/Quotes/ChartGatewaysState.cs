using Realtime.Connections;

namespace Realtime.Quotes;

/// <summary>
/// What a chart grain persists: the gateways that hold its viewers. A chart re-activated after its silo died sends
/// them a fresh snapshot at once, instead of waiting for each gateway's next refresh to learn that they are there.
/// Written only when a gateway comes or goes, never per viewer or per update.
/// </summary>
[GenerateSerializer]
internal sealed class ChartGatewaysState
{
    [Id(0)]
    public Dictionary<string, IGatewayObserver> Gateways { get; set; } = new(StringComparer.Ordinal);
}
