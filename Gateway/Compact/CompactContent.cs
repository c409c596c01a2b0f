using Realtime.Connections;

namespace Realtime.Gateway.Compact;

/// <summary>
/// An update on its way to a compact connection: it merges as the update it wraps does (a slow reader's queue and
/// a paced subscription fold it the same way) and encodes in the compact form under its topic's handle.
/// </summary>
/// <remarks>Lives only in the gateway, between a topic's fan-out and a socket: never serialized.</remarks>
internal sealed record CompactContent(MergeableContent Update, int Handle) : MergeableContent
{
    public override MergeableContent Merge(MergeableContent newer) =>
        newer is CompactContent compact && compact.Handle == Handle
            ? this with { Update = Update.Merge(compact.Update) }
            : newer;

    public override ServerFrame Encode(string? conflationKey) => CompactEncoder.Encode(this, conflationKey);
}
