using System.Diagnostics;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Upgrade;

/// <summary>
/// An earlier commit of this repository, checked out into a temporary git worktree and built there (the Silo program,
/// which brings the Gateway program it references), so a test can run its processes beside the current tree's.
/// Disposing removes the worktree and everything built in it, whether the test passed or not.
/// </summary>
public sealed class EarlierRelease : IAsyncDisposable
{
    private readonly string _directory;
    private readonly string _tree;
    private bool _registered;

    private EarlierRelease(string commit, string directory)
    {
        Commit = commit;
        _directory = directory;
        _tree = Path.Combine(directory, "tree");
    }

    public string Commit { get; }

    /// <summary>The release's programs, built as the current ones are (same configuration and framework).</summary>
    public ProductBuild Build { get; private set; } = null!;

    /// <summary>How long the checkout and the build took.</summary>
    public TimeSpan Took { get; private set; }

    /// <summary>Checks <paramref name="commit"/> out and builds it; fails with git's or the build's own words.</summary>
    public static async Task<EarlierRelease> CheckOutAndBuild(string commit)
    {
        var release = new EarlierRelease(commit, Directory.CreateTempSubdirectory("realtime-release-").FullName);
        try
        {
            var clock = Stopwatch.StartNew();
            await release.CheckOut();
            var current = ProductBuild.Current;
            // No build servers: the build's compiler and MSBuild nodes would outlive the test by minutes.
            await Run("dotnet", ["build", Path.Combine(release._tree, "Silo", "Silo.csproj"), "-c", current.Configuration, "-nologo",
                "--disable-build-servers", "-clp:ErrorsOnly"], TimeSpan.FromMinutes(10));
            release.Build = new ProductBuild(release._tree, current.Configuration, current.Framework, commit[..7]);
            release.Build.Assembly("Silo");
            release.Build.Assembly("Gateway");
            release.Took = clock.Elapsed;
            return release;
        }
        catch
        {
            await release.DisposeAsync();
            throw;
        }
    }

    private async Task CheckOut()
    {
        string full;
        try
        {
            full = (await Git(["rev-parse", "--verify", "--quiet", $"{Commit}^{{commit}}"])).Trim();
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"Commit {Commit} is not in {RepositoryPaths.Root}: the test needs the repository's history (a full clone, not a shallow one)", e);
        }
        if (!full.Equals(Commit, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{Commit} names {full}; name the release by its full hash");
        }
        _registered = true;
        await Git(["worktree", "add", "--detach", _tree, Commit]);
    }

    private static Task<string> Git(string[] arguments) =>
        Run("git", ["-C", RepositoryPaths.Root, .. arguments], TimeSpan.FromMinutes(2));

    /// <summary>Runs a tool to its end and returns its standard output; a non-zero exit fails with everything it wrote.</summary>
    private static async Task<string> Run(string tool, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        var (output, errors) = (await stdout, await stderr);
        return process.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{output}\n{errors}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_registered)
        {
            try
            {
                // --force: the build left untracked output in the tree.
                await Git(["worktree", "remove", "--force", _tree]);
                _registered = false;
            }
            catch (InvalidOperationException)
            {
                // A worktree half made (or its folder already gone): the folder goes below, and prune forgets it.
            }
        }
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
        if (_registered)
        {
            await Git(["worktree", "prune"]);
        }
    }
}
