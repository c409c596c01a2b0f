namespace Realtime.Hosting;

/// <summary>How silos and clients find each other.</summary>
public enum ClusteringMode
{
    /// <summary>Membership in Redis: any number of silos and separate gateway processes.</summary>
    Redis,

    /// <summary>One silo on this machine, found at fixed ports; for a single process or a quick local run.</summary>
    Localhost,
}
