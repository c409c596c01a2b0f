using Realtime.Hosting;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Deploy;

public sealed class ComposeTests
{
    private static readonly YamlDotNet.RepresentationModel.YamlNode Services = DeployFolder.Compose.Get("services")!;

    [Fact]
    public void Silos_and_gateways_build_from_the_deploy_dockerfiles_with_the_repository_root_as_context()
    {
        var services = DeployedEnvironment.ComposeServices().ToList();

        Assert.Equal(DeployedProgram.All.Select(p => p.Name).Order(), services.Select(s => s.Program.Name).Distinct().Order());
        foreach (var (_, node, program) in services)
        {
            var context = Path.GetFullPath(Path.Combine(DeployFolder.Root, node.Get("build").Get("context").Text()!));
            Assert.Equal(Path.GetFullPath(RepositoryPaths.Root), context.TrimEnd(Path.DirectorySeparatorChar));
            Assert.Equal(DeployFolder.PathOf(program.DockerfileName), Path.Combine(context, node.Get("build").Get("dockerfile").Text()!));
        }
    }

    [Fact]
    public void Silos_and_gateways_publish_no_host_port_and_take_no_fixed_name_so_they_scale()
    {
        foreach (var (service, node, _) in DeployedEnvironment.ComposeServices())
        {
            Assert.True(node.Get("ports") is null, $"{service} publishes a host port: a second replica could not start");
            Assert.True(node.Get("container_name") is null, $"{service} has a fixed container name: it cannot be scaled");
        }
    }

    [Fact]
    public void Every_silo_replica_advertises_its_own_container_address()
    {
        var (_, silo, _) = DeployedEnvironment.ComposeServices().Single(s => s.Program == DeployedProgram.Silo);

        var advertised = silo.Get("environment").Get("Cluster__AdvertisedIP").Text()
            ?? DeployedProgram.Silo.Dockerfile.EnvironmentVariables.GetValueOrDefault("Cluster__AdvertisedIP");
        Assert.Equal(RealtimeClusterOptions.OwnAddress, advertised);
    }

    [Fact]
    public async Task Stop_grace_periods_outlast_the_programs_shutdown_timeouts()
    {
        var timeouts = new Dictionary<DeployedProgram, TimeSpan>
        {
            [DeployedProgram.Silo] = ShutdownTimeouts.Silo(),
            [DeployedProgram.Gateway] = await ShutdownTimeouts.Gateway(),
        };

        foreach (var (service, node, program) in DeployedEnvironment.ComposeServices())
        {
            var grace = node.Get("stop_grace_period").Text();
            Assert.True(grace is not null, $"{service} has no stop_grace_period: Docker's 10 s default cuts the shutdown short");
            Assert.True(ShutdownTimeouts.ParseComposeDuration(grace) > timeouts[program], $"{service}: {grace} is not longer than {timeouts[program]}");
        }
    }

    [Fact]
    public void Silos_and_gateways_start_once_redis_answers_and_redis_keeps_its_data_on_a_named_volume()
    {
        var redis = Services.Get("redis");

        Assert.Contains("redis-cli ping", string.Join(' ', redis.Get("healthcheck").Get("test").Items().Select(i => i.Text())), StringComparison.Ordinal);
        Assert.Contains("--appendonly yes", string.Join(' ', redis.Get("command").Items().Select(i => i.Text())), StringComparison.Ordinal);
        var volume = redis.Get("volumes").Items().Single().Text()!.Split(':');
        Assert.Equal("/data", volume[1]);
        Assert.NotNull(DeployFolder.Compose.Get("volumes").Get(volume[0]));
        foreach (var (service, node, _) in DeployedEnvironment.ComposeServices())
        {
            Assert.True(node.Get("depends_on").Get("redis").Get("condition").Text() == "service_healthy", $"{service} does not wait for a healthy redis");
        }
    }

    [Fact]
    public void The_django_secret_key_comes_from_an_env_file_that_git_ignores()
    {
        var (_, gateway, _) = DeployedEnvironment.ComposeServices().Single(s => s.Program == DeployedProgram.Gateway);
        var ignored = File.ReadAllLines(DeployFolder.PathOf(".gitignore")).Select(l => l.Trim()).ToList();

        Assert.Null(gateway.Get("environment").Get("Django__SecretKey"));
        var envFiles = DeployedEnvironment.EnvFiles(gateway).ToList();
        Assert.NotEmpty(envFiles);
        foreach (var envFile in envFiles)
        {
            Assert.Contains(envFile, ignored);
            Assert.Contains("Django__SecretKey", DeployFolder.LoadEnvFile(envFile + ".example").Keys);
        }
    }

    [Fact]
    public void The_proxy_is_the_one_published_port_and_spreads_websockets_over_every_gateway_replica()
    {
        var (gatewayService, _, _) = DeployedEnvironment.ComposeServices().Single(s => s.Program == DeployedProgram.Gateway);
        var nginx = File.ReadAllText(DeployFolder.PathOf("nginx.conf"));
        var published = Services.Get("proxy").Get("ports").Items().Single().Text()!;

        // The service name, resolved at request time through the container's own DNS servers, which the image's
        // entrypoint writes into the template the compose file mounts.
        Assert.Contains($"set $gateways {gatewayService};", nginx, StringComparison.Ordinal);
        Assert.Contains($"proxy_pass http://$gateways:{DeployedProgram.Gateway.HttpPort};", nginx, StringComparison.Ordinal);
        Assert.Contains("resolver ${NGINX_LOCAL_RESOLVERS} ", nginx, StringComparison.Ordinal);
        Assert.Equal("1", Services.Get("proxy").Get("environment").Get("NGINX_ENTRYPOINT_LOCAL_RESOLVERS").Text());
        Assert.Contains("./nginx.conf:/etc/nginx/templates/default.conf.template:ro", Services.Get("proxy").Get("volumes").Items().Select(v => v.Text()));
        Assert.Contains($"listen {published[(published.LastIndexOf(':') + 1)..]};", nginx, StringComparison.Ordinal);
        Assert.Contains("proxy_set_header Upgrade $http_upgrade;", nginx, StringComparison.Ordinal);
        Assert.Contains("proxy_next_upstream error timeout http_502 http_503;", nginx, StringComparison.Ordinal);
    }
}
