using System.Text.RegularExpressions;

namespace Realtime.Tests.Deploy;

/// <summary>A Dockerfile under deploy/, read well enough to check it against the programs (no Docker engine here).</summary>
public sealed partial class Dockerfile
{
    private Dockerfile(string name, IReadOnlyList<DockerInstruction> instructions)
    {
        Name = name;
        Instructions = instructions;
    }

    public string Name { get; }

    public IReadOnlyList<DockerInstruction> Instructions { get; }

    public static Dockerfile Load(string name)
    {
        var instructions = new List<DockerInstruction>();
        var stage = -1;
        var pending = "";
        // Docker drops comment lines even inside a continuation, and joins lines ending in a backslash.
        foreach (var raw in File.ReadAllLines(DeployFolder.PathOf(name)))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && pending.Length == 0))
            {
                continue;
            }
            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }
            var whole = (pending + line).Trim();
            pending = "";
            var space = whole.IndexOf(' ');
            var keyword = (space < 0 ? whole : whole[..space]).ToUpperInvariant();
            if (keyword == "FROM")
            {
                stage++;
            }
            instructions.Add(new DockerInstruction(keyword, space < 0 ? "" : whole[(space + 1)..].Trim(), stage));
        }
        return new Dockerfile(name, instructions);
    }

    public int FinalStage => Instructions.Max(i => i.Stage);

    public IEnumerable<DockerInstruction> All(string keyword) => Instructions.Where(i => i.Keyword == keyword);

    public IEnumerable<DockerInstruction> InFinalStage(string keyword) => All(keyword).Where(i => i.Stage == FinalStage);

    /// <summary>The base image of the stage that ships, with the build arguments at their defaults.</summary>
    public string RuntimeImage => Expand(InFinalStage("FROM").Single().Arguments.Split(' ')[0]);

    /// <summary>The build arguments declared before the first FROM (those a FROM may use), with their defaults.</summary>
    public IReadOnlyDictionary<string, string> GlobalArguments =>
        All("ARG").Where(i => i.Stage < 0).Select(i => i.Arguments.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "");

    /// <summary>The name of the stage a FROM names, given a value for each build argument it uses.</summary>
    public string Expand(string text, IReadOnlyDictionary<string, string>? arguments = null) =>
        ArgumentReference().Replace(text, m =>
        {
            var name = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
            return arguments?.GetValueOrDefault(name) ?? GlobalArguments.GetValueOrDefault(name) ?? throw new InvalidDataException($"{Name}: ${name} is not a global ARG");
        });

    /// <summary>The alias each stage is given (<c>FROM image AS alias</c>), by stage number.</summary>
    public IReadOnlyDictionary<int, string> StageNames =>
        All("FROM").Select(f => (f.Stage, Parts: f.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            .Where(f => f.Parts.Length == 3 && f.Parts[1].Equals("AS", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(f => f.Stage, f => f.Parts[2]);

    /// <summary>The shipped stage's ENV settings (the <c>KEY=value</c> form; an empty value is kept as empty).</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables =>
        InFinalStage("ENV").SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "");

    public IReadOnlySet<int> ExposedPorts =>
        InFinalStage("EXPOSE").SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => int.Parse(p.Split('/')[0])).ToHashSet();

    public string User => InFinalStage("USER").LastOrDefault()?.Arguments ?? "";

    /// <summary>The dll in <c>ENTRYPOINT ["dotnet", "X.dll"]</c>, without its extension.</summary>
    public string EntrypointAssembly =>
        EntrypointPattern().Match(InFinalStage("ENTRYPOINT").Single().Arguments) is { Success: true } m
            ? m.Groups[1].Value
            : throw new InvalidDataException($"{Name}: ENTRYPOINT is not [\"dotnet\", \"<assembly>.dll\"]");

    /// <summary>The URL the HEALTHCHECK command requests.</summary>
    public Uri HealthCheckUrl =>
        UrlPattern().Match(InFinalStage("HEALTHCHECK").Single().Arguments) is { Success: true } m
            ? new Uri(m.Value)
            : throw new InvalidDataException($"{Name}: HEALTHCHECK requests no http:// URL");

    /// <summary>The project file the build publishes (<c>RUN dotnet publish X.csproj ...</c>).</summary>
    public string PublishedProject => ProjectOf("publish");

    public string RestoredProject => ProjectOf("restore");

    /// <summary>Sources of the plain (not <c>--from</c>) COPY instructions before the given RUN.</summary>
    public IReadOnlyList<string> CopiedBefore(DockerInstruction run) =>
        Instructions.TakeWhile(i => i != run)
            .Where(i => i.Keyword == "COPY" && i.Stage == run.Stage && !i.Arguments.StartsWith("--", StringComparison.Ordinal))
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipLast(1))
            .ToList();

    public DockerInstruction Run(string containing) =>
        All("RUN").Single(i => i.Arguments.Contains(containing, StringComparison.Ordinal));

    private string ProjectOf(string verb) =>
        ProjectPattern(verb).Match(Run($"dotnet {verb} ").Arguments) is { Success: true } m
            ? m.Groups[1].Value
            : throw new InvalidDataException($"{Name}: dotnet {verb} names no .csproj");

    private static Regex ProjectPattern(string verb) => new($@"dotnet {verb} (\S+\.csproj)");

    [GeneratedRegex(@"\$\{(\w+)\}|\$(\w+)")]
    private static partial Regex ArgumentReference();

    [GeneratedRegex(@"""dotnet""\s*,\s*""([^""]+)\.dll""")]
    private static partial Regex EntrypointPattern();

    [GeneratedRegex(@"http://[^\s""']+")]
    private static partial Regex UrlPattern();
}
