using System.Net;
using Realtime.Hosting;

namespace Realtime.Tests.Deploy;

/// <summary>What the shipped stage of each image sets: ports, environment, user and health check.</summary>
public sealed class ImageTests
{
    [Theory]
    [InlineData("silo")]
    [InlineData("gateway")]
    public void The_image_serves_http_on_every_interface_at_the_programs_default_port(string name)
    {
        var program = DeployedProgram.Named(name);
        var environment = program.Dockerfile.EnvironmentVariables;

        var urls = new Uri(environment["Urls"]);
        Assert.Equal("0.0.0.0", urls.Host);
        Assert.Equal(new Uri(program.AppSettings["Urls"]!.GetValue<string>()).Port, urls.Port);
        // The base image's ASPNETCORE_HTTP_PORTS=8080 would only earn an "overriding HTTP_PORTS" warning at start.
        Assert.Equal("", environment["ASPNETCORE_HTTP_PORTS"]);
        Assert.Equal(nameof(ClusteringMode.Redis), environment["Cluster__Clustering"]);
    }

    [Fact]
    public void The_silo_image_exposes_its_silo_port_orleans_gateway_port_and_http_port()
    {
        var defaults = new RealtimeClusterOptions();
        var cluster = DeployedProgram.Silo.AppSettings["Cluster"]!;
        Assert.Equal(defaults.SiloPort, cluster["SiloPort"]!.GetValue<int>());
        Assert.Equal(defaults.GatewayPort, cluster["GatewayPort"]!.GetValue<int>());

        Assert.Equal(new[] { defaults.SiloPort, defaults.GatewayPort, DeployedProgram.Silo.HttpPort }.Order(), DeployedProgram.Silo.Dockerfile.ExposedPorts.Order());
    }

    [Fact]
    public void The_gateway_image_exposes_its_http_port_only()
    {
        Assert.Equal([DeployedProgram.Gateway.HttpPort], DeployedProgram.Gateway.Dockerfile.ExposedPorts);
    }

    [Fact]
    public void The_silo_image_advertises_the_containers_own_address()
    {
        Assert.Equal(RealtimeClusterOptions.OwnAddress, DeployedProgram.Silo.Dockerfile.EnvironmentVariables["Cluster__AdvertisedIP"]);
    }

    [Theory]
    [InlineData("silo")]
    [InlineData("gateway")]
    public void The_image_runs_as_a_non_root_user(string name)
    {
        var user = DeployedProgram.Named(name).Dockerfile.User;

        Assert.NotEqual("", user);
        Assert.DoesNotContain(user.Split(':')[0], new[] { "root", "0" });
    }

    [Theory]
    [InlineData("silo")]
    [InlineData("gateway")]
    public void The_health_check_requests_the_http_port_inside_the_container(string name)
    {
        var program = DeployedProgram.Named(name);

        var url = program.Dockerfile.HealthCheckUrl;
        Assert.True(IPAddress.TryParse(url.Host, out var address) && IPAddress.IsLoopback(address), $"{url} is not on loopback");
        Assert.Equal(program.HttpPort, url.Port);
    }

    [Theory]
    [InlineData("silo")]
    [InlineData("gateway")]
    public void The_health_check_tool_is_in_the_runtime_image(string name)
    {
        var dockerfile = DeployedProgram.Named(name).Dockerfile;
        var command = dockerfile.InFinalStage("HEALTHCHECK").Single().Arguments;

        // The Ubuntu and chiselled .NET images have neither wget nor curl; Alpine's busybox has wget.
        var installs = dockerfile.InFinalStage("RUN").Any(r => r.Arguments.Contains("install", StringComparison.Ordinal) || r.Arguments.Contains("apk add", StringComparison.Ordinal));
        Assert.True(
            (command.Contains("wget ", StringComparison.Ordinal) && dockerfile.RuntimeImage.Contains("alpine", StringComparison.Ordinal)) || installs,
            $"{dockerfile.Name}: '{command}' needs a tool {dockerfile.RuntimeImage} may not have");
    }
}
