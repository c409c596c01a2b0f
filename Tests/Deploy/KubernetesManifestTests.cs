namespace Realtime.Tests.Deploy;

/// <summary>deploy/k8s as a whole: well-formed objects, all listed, every reference resolving, every container sized.</summary>
public sealed class KubernetesManifestTests
{
    private static readonly IReadOnlyList<KubernetesObject> Objects = KubernetesObject.All();

    [Fact]
    public void Every_manifest_document_is_a_named_object_that_leaves_the_namespace_to_kubectl()
    {
        Assert.NotEmpty(Objects);
        foreach (var o in Objects)
        {
            Assert.True(o.Node.Get("apiVersion").Text() is not null && o.Kind is not null && o.Name is not null, $"{o} lacks apiVersion, kind or name");
            Assert.True(o.Node.Get("metadata").Get("namespace") is null, $"{o} names a namespace");
        }
    }

    [Fact]
    public void The_kustomization_lists_every_manifest_file()
    {
        var listed = DeployFolder.LoadYaml(Path.Combine("k8s", "kustomization.yaml")).Single().Get("resources").Items().Select(i => i.Text()!).Order();

        Assert.Equal(Objects.Select(o => Path.GetFileName(o.File)).Distinct().Order(), listed);
    }

    [Fact]
    public void Every_container_requests_cpu_and_memory_and_limits_memory()
    {
        foreach (var workload in Objects.Where(o => o.PodSpec is not null))
        {
            foreach (var container in workload.Containers)
            {
                var resources = container.Get("resources");
                Assert.True(resources.Get("requests").Get("cpu") is not null && resources.Get("requests").Get("memory") is not null, $"{workload}: no cpu and memory requests");
                Assert.True(resources.Get("limits").Get("memory") is not null, $"{workload}: no memory limit");
            }
        }
    }

    [Fact]
    public void Every_secret_and_config_map_key_a_container_reads_exists()
    {
        var references = Objects.SelectMany(o => o.Containers).SelectMany(c => c.Get("env").Items())
            .Select(e => e.Get("valueFrom"))
            .SelectMany(v => new[] { ("Secret", v.Get("secretKeyRef")), ("ConfigMap", v.Get("configMapKeyRef")) })
            .Where(r => r.Item2 is not null)
            .ToList();

        Assert.NotEmpty(references);
        foreach (var (kind, reference) in references)
        {
            var name = reference.Get("name").Text()!;
            var key = reference.Get("key").Text()!;
            var target = KubernetesObject.Find(kind, name);
            Assert.True(target is not null, $"{kind} {name} is not in deploy/k8s");
            Assert.True(target.Node.Get("data").Get(key) is not null || target.Node.Get("stringData").Get(key) is not null, $"{kind} {name} has no key {key}");
        }
    }
}
