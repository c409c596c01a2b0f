namespace Realtime.Tests.Containers;

/// <summary>A test that runs containers: skipped, with the reason in the test output, where podman or the local base images are missing.</summary>
public sealed class PodmanFactAttribute : FactAttribute
{
    public PodmanFactAttribute()
    {
        if (Podman.WhyNotAvailable is { } why)
        {
            Skip = $"container test skipped: {why}";
        }
    }
}
