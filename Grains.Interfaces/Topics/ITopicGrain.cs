using Orleans.Runtime;
using System.Collections.Immutable;
using Realtime.Connections;

namespace Realtime.Topics;

/// <summary>
/// A grain that publishes a topic to gateways (<see cref="IGatewayObserver.Publish"/>), named by its own grain id.
/// Gateways restate to it which of their connections subscribe, so a publisher that lost its memory (it moved to
/// another silo) or missed a change learns them again.
/// </summary>
[Alias("realtime.ITopicGrain"), GrainInterfaceType("Realtime.Topics.ITopicGrain")]
public interface ITopicGrain : IGrainWithStringKey
{
    /// <summary>A gateway's statement of which of its connections subscribe to this topic (none: it has no more).</summary>
    Task Refresh(string gatewayId, IGatewayObserver gateway, ImmutableArray<string> instanceIds);
}
