namespace Realtime.Quotes.Analysis;

/// <summary>
/// A calculation's state kept as it was before the latest input and as it is after it. A live chart's last bar
/// changes with every tick, so the last step must be redone from the state before it rather than applied on top.
/// </summary>
internal sealed class Revisable<T>
    where T : struct
{
    private T _beforeLatest;
    private T _afterLatest;
    private bool _hasLatest;

    public Revisable(T initial)
    {
        _beforeLatest = initial;
        _afterLatest = initial;
    }

    /// <summary>The state to compute the latest step from. On append, the previous latest input becomes final.</summary>
    public T Start(UpdateKind kind)
    {
        if (kind == UpdateKind.Append)
        {
            _beforeLatest = _afterLatest;
            _hasLatest = true;
        }
        else if (!_hasLatest)
        {
            throw new InvalidOperationException("There is no bar to replace yet; append one first.");
        }
        return _beforeLatest;
    }

    /// <summary>Records the state after the latest step, which the next append starts from.</summary>
    public void Finish(T afterLatest) => _afterLatest = afterLatest;
}
