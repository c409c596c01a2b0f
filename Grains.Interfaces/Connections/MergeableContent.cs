namespace Realtime.Connections;

/// <summary>
/// The content of a frame that a newer frame with the same conflation key can be folded into without losing
/// anything: a slow connection's queue then holds one frame per key that says everything the skipped ones said.
/// A chart update, for instance, keeps every bar any of them changed, so conflation never skips a bar.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("realtime.MergeableContent")]
public abstract record MergeableContent
{
    /// <summary>This content followed by <paramref name="newer"/>, as one; never loses what either says.</summary>
    public abstract MergeableContent Merge(MergeableContent newer);

    /// <summary>The frame a connection is sent for this content.</summary>
    public abstract ServerFrame Encode(string? conflationKey);
}
