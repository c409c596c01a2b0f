namespace Realtime.Hosting;

/// <summary>
/// How long a program takes to stop after SIGTERM. <paramref name="Graceful"/> is the host's shutdown timeout: the
/// time its services get to finish their work before they are told to give up. <paramref name="Limit"/> is the
/// longest the process runs at all: a service that does not give up when told (Orleans retries its membership
/// updates for minutes while Redis is down) is cut short there, so an orchestrator never has to SIGKILL it.
/// </summary>
public sealed record ShutdownDeadline(TimeSpan Graceful, TimeSpan Limit)
{
    /// <summary>The process's exit code when <see cref="Limit"/> cut its shutdown short.</summary>
    public const int CutShortExitCode = 3;

    /// <summary>
    /// The longest any program may take to stop after SIGTERM, whatever Redis or the cluster does: Kubernetes'
    /// default <c>terminationGracePeriodSeconds</c> (30 s) less room for the runtime to exit and the kubelet to see it.
    /// </summary>
    public static readonly TimeSpan MostAllowed = TimeSpan.FromSeconds(28);
}
