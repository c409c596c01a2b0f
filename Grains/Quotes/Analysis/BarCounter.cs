namespace Realtime.Quotes.Analysis;

/// <summary>
/// Counts bars and rejects a replace before any append, so every indicator fails the same clear way
/// when misused instead of somewhere deep inside its calculation.
/// </summary>
internal sealed class BarCounter
{
    public int Count { get; private set; }

    /// <summary>Returns the 0-based index of the bar being appended or replaced.</summary>
    public int Advance(UpdateKind kind)
    {
        if (kind == UpdateKind.Append)
        {
            Count = checked(Count + 1);
        }
        else if (Count == 0)
        {
            throw new InvalidOperationException("There is no bar to replace yet; append one first.");
        }
        return Count - 1;
    }
}
