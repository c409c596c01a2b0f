using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Repository;

/// <summary>A clone of the repository runs its tests with nothing beside it.</summary>
public sealed class StandaloneRepositoryTests
{
    // Spelled in two parts so this file does not name the folder it checks nobody names.
    private static readonly string SharedFolder = "shared" + "/reference";

    private static readonly string[] CheckedExtensions = [".cs", ".sh", ".md", ".json", ".mjs", ".js", ".csproj", ".props", ".yml", ".yaml"];

    [Fact]
    public void No_code_script_or_doc_outside_the_fixtures_names_the_shared_reference_folder()
    {
        var offenders = RepositoryFiles()
            .Where(path => !path.StartsWith(Path.Combine(RepositoryPaths.Root, "Tests", "Fixtures"), StringComparison.Ordinal))
            .Where(path => File.ReadAllText(path).Contains(SharedFolder, StringComparison.Ordinal))
            .Select(path => Path.GetRelativePath(RepositoryPaths.Root, path))
            .ToList();

        Assert.True(offenders.Count == 0, $"read from Tests/Fixtures instead: {string.Join(", ", offenders)}");
    }

    [Theory]
    [InlineData("django-session/sessions.json")]
    [InlineData("django-session/README.md")]
    [InlineData("indicators/series-a.ohlcv.csv")]
    [InlineData("indicators/series-a.talib.csv")]
    [InlineData("indicators/README.md")]
    [InlineData("README.md")]
    public void Every_fixture_is_in_the_repository(string relative) =>
        Assert.True(new FileInfo(RepositoryPaths.Fixture(relative)).Length > 0, relative);

    private static IEnumerable<string> RepositoryFiles()
    {
        var skipped = new[] { "bin", "obj", "node_modules", ".git", ".data", "wwwroot", "TestResults" };
        var pending = new Stack<DirectoryInfo>([new DirectoryInfo(RepositoryPaths.Root)]);
        while (pending.TryPop(out var dir))
        {
            foreach (var child in dir.EnumerateDirectories().Where(d => !skipped.Contains(d.Name)))
            {
                pending.Push(child);
            }
            foreach (var file in dir.EnumerateFiles().Where(f => CheckedExtensions.Contains(f.Extension)))
            {
                yield return file.FullName;
            }
        }
    }
}
