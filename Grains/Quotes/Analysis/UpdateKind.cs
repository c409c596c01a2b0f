namespace Realtime.Quotes.Analysis;

/// <summary>Whether an input starts a new bar or revises the bar that is still forming.</summary>
internal enum UpdateKind
{
    /// <summary>A new bar; the previous latest bar is now final.</summary>
    Append,

    /// <summary>The latest bar changed (a new tick arrived); it replaces what was computed for it.</summary>
    ReplaceLast,
}
