namespace Realtime.Tests.Infrastructure;

/// <summary>Finds the repository root and the shared reference folder beside it, wherever the tests run from.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindUp(dir => File.Exists(Path.Combine(dir, "Realtime.Orleans.sln")))
        ?? throw new InvalidOperationException("Realtime.Orleans.sln not found above " + AppContext.BaseDirectory);

    /// <summary>The shared/ folder: inside the repository or beside it (as CI lays it out).</summary>
    public static string Shared(string relative)
    {
        foreach (var candidate in new[] { Path.Combine(Root, "shared", relative), Path.Combine(Root, "..", "shared", relative) })
        {
            if (File.Exists(candidate) || Directory.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }
        throw new FileNotFoundException($"shared/{relative} is neither in nor beside {Root}");
    }

    private static string? FindUp(Func<string, bool> found)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (found(dir.FullName))
            {
                return dir.FullName;
            }
        }
        return null;
    }
}
