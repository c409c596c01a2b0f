namespace Realtime.Tests.Deploy;

public sealed class DeployYamlTests
{
    public static TheoryData<string> YamlFiles() => [.. DeployFolder.YamlFiles()];

    [Theory]
    [MemberData(nameof(YamlFiles))]
    public void Every_yaml_file_under_deploy_parses(string file)
    {
        var documents = DeployFolder.LoadYaml(file);

        Assert.NotEmpty(documents);
    }

    [Fact]
    public void Deploy_holds_the_compose_file_and_the_kubernetes_manifests()
    {
        Assert.Contains("docker-compose.yml", DeployFolder.YamlFiles());
        Assert.Contains(Path.Combine("k8s", "kustomization.yaml"), DeployFolder.YamlFiles());
    }
}
