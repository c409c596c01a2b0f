namespace Realtime.Hosting.Operations;

/// <summary>Configuration section <c>Operations</c>: what operators switch on.</summary>
public sealed class OperationsOptions
{
    public const string Section = "Operations";

    /// <summary>
    /// Serves the Orleans Dashboard at <c>/dashboard</c> on the silo's HTTP port. Off by default: the dashboard shows
    /// every grain and silo and has no login of its own, so it belongs on an internal port only.
    /// </summary>
    public bool Dashboard { get; set; }
}
