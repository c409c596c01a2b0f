using System.ComponentModel.DataAnnotations;

namespace Realtime.Charts;

/// <summary>
/// Configuration section <c>Charts</c> (silo): when a bar becomes final (docs/protocol.md 1.9). A bar is final once
/// a later bar of its period exists, or once the server's clock passes its period's end plus
/// <see cref="CloseGraceMilliseconds"/>, whichever comes first.
/// </summary>
public sealed class BarCloseOptions
{
    public const string Section = "Charts";

    public const int DefaultCloseGraceMilliseconds = 1000;

    public const int MaxCloseGraceMilliseconds = 60_000;

    /// <summary>
    /// How long after its period ends a bar waits for quotes stamped within it before it is sent as final: a feed's
    /// quotes reach the server a little after their time, and one arriving after the bar was sent final is a
    /// revision. A longer grace means fewer revisions and a later close.
    /// </summary>
    [Range(0, MaxCloseGraceMilliseconds, ErrorMessage = "Charts:CloseGraceMilliseconds must be {1}..{2}")]
    public int CloseGraceMilliseconds { get; set; } = DefaultCloseGraceMilliseconds;
}
