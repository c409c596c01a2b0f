namespace Realtime.Tests.Infrastructure;

/// <summary>Finds the repository root and the test fixtures inside it, wherever the tests run from.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindUp(dir => File.Exists(Path.Combine(dir, "Realtime.Orleans.sln")))
        ?? throw new InvalidOperationException("Realtime.Orleans.sln not found above " + AppContext.BaseDirectory);

    /// <summary>
    /// A file or folder under <c>Tests/Fixtures</c>. Only inside the repository: a clone must run its tests with
    /// nothing beside it (Tests/Fixtures/README.md says where each fixture comes from).
    /// </summary>
    public static string Fixture(string relative)
    {
        var path = Path.Combine(Root, "Tests", "Fixtures", relative);
        return File.Exists(path) || Directory.Exists(path)
            ? path
            : throw new FileNotFoundException($"Tests/Fixtures/{relative} is missing from {Root}", path);
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
