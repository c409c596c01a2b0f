using YamlDotNet.RepresentationModel;

namespace Realtime.Tests.Deploy;

/// <summary>One document of a manifest under deploy/k8s.</summary>
public sealed record KubernetesObject(string File, string? Kind, string? Name, YamlNode Node)
{
    /// <summary>Every manifest document; the kustomization is kubectl's input, not an object, and is left out.</summary>
    public static IReadOnlyList<KubernetesObject> All() =>
        DeployFolder.YamlFiles()
            .Where(f => f.StartsWith("k8s" + Path.DirectorySeparatorChar, StringComparison.Ordinal) && Path.GetFileName(f) != "kustomization.yaml")
            .SelectMany(f => DeployFolder.LoadYaml(f).Select(n => new KubernetesObject(f, n.Get("kind").Text(), n.Get("metadata").Get("name").Text(), n)))
            .ToList();

    public static KubernetesObject? Find(string kind, string name) => All().FirstOrDefault(o => o.Kind == kind && o.Name == name);

    /// <summary>The pod template's spec of a workload (Deployment, StatefulSet, ...), null for other kinds.</summary>
    public YamlNode? PodSpec => Node.Get("spec").Get("template").Get("spec");

    public IEnumerable<YamlNode> Containers => PodSpec.Get("containers").Items();

    public override string ToString() => $"{Kind}/{Name} ({File})";
}
