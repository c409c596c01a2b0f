namespace Realtime.Tests.Deploy;

public sealed class DeployedEnvironmentTests
{
    [Fact]
    public void Every_environment_variable_deploy_sets_names_a_key_the_program_binds()
    {
        var variables = DeployedEnvironment.All();

        var unbound = variables.Where(v => !ConfigurationKeys.IsBound(v.Name, v.Program)).Select(v => v.ToString()).ToList();
        Assert.True(unbound.Count == 0, "No options class or host setting reads:\n" + string.Join("\n", unbound));
    }

    [Fact]
    public void The_images_the_compose_file_and_the_manifests_all_configure_both_programs()
    {
        var variables = DeployedEnvironment.All();

        foreach (var program in DeployedProgram.All)
        {
            Assert.Contains(variables, v => v.Program == program && v.Source == program.DockerfileName);
            Assert.Contains(variables, v => v.Program == program && v.Source.StartsWith("docker-compose.yml", StringComparison.Ordinal));
            Assert.Contains(variables, v => v.Program == program && v.Source.Contains("Deployment/", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("silo", "Cluster__Redis", true)]
    [InlineData("silo", "cluster__redis", true)]
    [InlineData("silo", "Cluster__Rediss", false)]
    [InlineData("silo", "Cluster_Redis", false)]
    [InlineData("silo", "ServiceQueue__Queues__0", true)]
    [InlineData("silo", "ServiceQueue__Queues__first", false)]
    [InlineData("silo", "ServiceQueue__BatchSize__0", false)]
    [InlineData("silo", "Django__SecretKey", false)]
    [InlineData("silo", "Operations__Dashboard", true)]
    [InlineData("gateway", "Operations__Dashboard", false)]
    [InlineData("gateway", "Django__SecretKey", true)]
    [InlineData("gateway", "Django__SecretKeyFallbacks__1", true)]
    [InlineData("gateway", "Gateway__MaxFrameBytes", true)]
    [InlineData("gateway", "ServiceQueue__BatchSize", false)]
    [InlineData("gateway", "Urls", true)]
    [InlineData("gateway", "ASPNETCORE_HTTP_PORTS", true)]
    [InlineData("gateway", "DOTNET_gcServer", true)]
    [InlineData("gateway", "Logging__LogLevel__Default", true)]
    public void The_check_tells_bound_keys_from_misspelt_or_foreign_ones(string program, string variable, bool bound)
    {
        Assert.Equal(bound, ConfigurationKeys.IsBound(variable, DeployedProgram.Named(program)));
    }
}
