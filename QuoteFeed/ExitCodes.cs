namespace Realtime.QuoteFeed;

/// <summary>What the process tells its caller (scripts/run.sh, an operator's shell).</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command was well formed but could not do its work, for example Redis was unreachable.</summary>
    public const int Failure = 1;

    public const int BadUsage = 2;
}
