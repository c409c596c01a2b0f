namespace Realtime.Tests.Deploy;

/// <summary>A test that renders deploy/k8s with kustomize: skipped, with the reason, where neither kubectl nor kustomize is installed.</summary>
public sealed class KustomizeFactAttribute : FactAttribute
{
    public static string? Kubectl { get; } = OnPath("kubectl");

    public static string? Kustomize { get; } = OnPath("kustomize");

    public KustomizeFactAttribute()
    {
        if (Kubectl is null && Kustomize is null)
        {
            Skip = "kustomize rendering skipped: neither kubectl nor kustomize is installed (scripts/test.sh installs Debian's kubernetes-client)";
        }
    }

    private static string? OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}
