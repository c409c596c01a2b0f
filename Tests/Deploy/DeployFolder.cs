using Realtime.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Realtime.Tests.Deploy;

/// <summary>The files under deploy/: the Dockerfiles, the compose file and the Kubernetes manifests.</summary>
public static class DeployFolder
{
    public static string Root { get; } = Path.Combine(RepositoryPaths.Root, "deploy");

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>Every YAML file under deploy/, relative to it.</summary>
    public static IReadOnlyList<string> YamlFiles() =>
        Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".yaml", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Root, f))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Every document of a YAML file (Kubernetes manifests hold several, separated by <c>---</c>).</summary>
    public static IReadOnlyList<YamlNode> LoadYaml(string relative)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(PathOf(relative));
        stream.Load(reader);
        return stream.Documents.Select(d => d.RootNode).ToList();
    }

    public static YamlNode Compose => LoadYaml("docker-compose.yml").Single();

    /// <summary><c>KEY=value</c> lines of an env file, comments and blank lines skipped.</summary>
    public static IReadOnlyDictionary<string, string> LoadEnvFile(string relative) =>
        File.ReadAllLines(PathOf(relative))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "");
}
