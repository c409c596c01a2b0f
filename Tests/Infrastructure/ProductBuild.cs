namespace Realtime.Tests.Infrastructure;

/// <summary>
/// A build of the Silo and Gateway programs, laid out as <c>dotnet build</c> lays out a checkout:
/// <c>&lt;Program&gt;/bin/&lt;Configuration&gt;/&lt;framework&gt;</c>. <see cref="Current"/> is the one this test run was
/// built with; a test may build another tree (an earlier release) and start processes of both.
/// </summary>
public sealed class ProductBuild(string root, string configuration, string framework, string name = "current")
{
    /// <summary>This tree's build, beside the tests' own output (Tests/bin/&lt;Configuration&gt;/&lt;framework&gt;).</summary>
    public static ProductBuild Current { get; } = OfTestRun();

    /// <summary>The checkout the programs were built in.</summary>
    public string Root => root;

    /// <summary>What a report calls it: <c>current</c>, or the commit of an earlier release.</summary>
    public string Name => name;

    public string Configuration => configuration;

    public string Framework => framework;

    /// <summary>The entry assembly of <paramref name="program"/> (<c>Silo</c> or <c>Gateway</c>); fails when it was not built.</summary>
    public string Assembly(string program)
    {
        var path = Path.Combine(root, program, "bin", configuration, framework, $"Realtime.Orleans.{program}.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {root} first; the {program} program is missing", path);
    }

    private static ProductBuild OfTestRun()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        return new ProductBuild(RepositoryPaths.Root, testBin.Parent!.Name, testBin.Name);
    }
}
