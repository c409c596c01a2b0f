namespace Realtime.Tests.Deploy;

/// <summary>The silo and gateway workloads: replicas, addresses, probes, ports, grace periods and their Service.</summary>
public sealed class KubernetesWorkloadTests
{
    private static readonly IReadOnlyList<KubernetesObject> Objects = KubernetesObject.All();

    [Fact]
    public void Three_silos_and_two_gateways_run_as_deployments()
    {
        Assert.Equal(("Deployment", "3"), (Workload(DeployedProgram.Silo).Kind, Workload(DeployedProgram.Silo).Node.Get("spec").Get("replicas").Text()));
        Assert.Equal(("Deployment", "2"), (Workload(DeployedProgram.Gateway).Kind, Workload(DeployedProgram.Gateway).Node.Get("spec").Get("replicas").Text()));
    }

    [Fact]
    public void Every_silo_advertises_its_pod_ip()
    {
        var advertised = Container(DeployedProgram.Silo).Get("env").Items().Single(e => e.Get("name").Text() == "Cluster__AdvertisedIP");

        Assert.Equal("status.podIP", advertised.Get("valueFrom").Get("fieldRef").Get("fieldPath").Text());
    }

    [Theory]
    [InlineData("silo")]
    [InlineData("gateway")]
    public void Probes_and_the_metrics_annotation_use_the_http_port_the_container_listens_on(string name)
    {
        var program = DeployedProgram.Named(name);
        var container = Container(program);
        var urls = container.Get("env").Items().FirstOrDefault(e => e.Get("name").Text() == "Urls")?.Get("value").Text();
        var httpPort = urls is null ? program.HttpPort : new Uri(urls).Port;

        var probes = HealthRoutes.Probes(container).ToList();
        Assert.Equal(3, probes.Count);
        foreach (var probe in probes)
        {
            Assert.Equal(httpPort, PortNumber(container, probe.Get("httpGet").Get("port").Text()!));
        }
        var annotations = Workload(program).Node.Get("spec").Get("template").Get("metadata").Get("annotations");
        Assert.Equal(httpPort.ToString(), annotations.Get("prometheus.io/port").Text());
    }

    [Theory]
    [InlineData("silo")]
    [InlineData("gateway")]
    public void Containers_declare_the_ports_their_image_exposes(string name)
    {
        var program = DeployedProgram.Named(name);

        var declared = Container(program).Get("ports").Items().Select(p => int.Parse(p.Get("containerPort").Text()!)).Order();
        Assert.Equal(program.Dockerfile.ExposedPorts.Order(), declared);
    }

    [Fact]
    public async Task Termination_grace_periods_outlast_the_pre_stop_pause_and_the_shutdown_timeout()
    {
        var timeouts = new Dictionary<DeployedProgram, TimeSpan>
        {
            [DeployedProgram.Silo] = ShutdownTimeouts.Silo(),
            [DeployedProgram.Gateway] = await ShutdownTimeouts.Gateway(),
        };

        foreach (var program in DeployedProgram.All)
        {
            var grace = TimeSpan.FromSeconds(int.Parse(Workload(program).PodSpec.Get("terminationGracePeriodSeconds").Text() ?? "30"));
            var preStop = Container(program).Get("lifecycle").Get("preStop").Get("exec").Get("command").Items().Select(i => i.Text()).ToList();
            var pause = preStop is ["sleep", var seconds] ? TimeSpan.FromSeconds(int.Parse(seconds!)) : TimeSpan.Zero;
            Assert.True(grace > pause + timeouts[program], $"{program}: {grace} is not longer than {pause} + {timeouts[program]}");
        }
    }

    [Fact]
    public async Task Every_program_stops_within_28_s_and_so_within_the_default_grace()
    {
        // Kubernetes' default terminationGracePeriodSeconds is 30: a manifest that leaves it out must still fit.
        Assert.True(ShutdownTimeouts.Silo() <= Realtime.Hosting.ShutdownDeadline.MostAllowed - TimeSpan.FromSeconds(3), $"silo deadline {ShutdownTimeouts.Silo()}");
        Assert.True(await ShutdownTimeouts.Gateway() <= Realtime.Hosting.ShutdownDeadline.MostAllowed - TimeSpan.FromSeconds(3), $"gateway deadline {await ShutdownTimeouts.Gateway()}");
        foreach (var program in DeployedProgram.All)
        {
            var grace = int.Parse(Workload(program).PodSpec.Get("terminationGracePeriodSeconds").Text() ?? "30");
            Assert.True(grace <= 30, $"{program}: a grace of {grace} s hides a stop slower than the default allows");
        }
    }

    [Fact]
    public void The_gateway_service_routes_to_the_gateway_http_port_without_session_affinity()
    {
        var service = Objects.Single(o => o.Kind == "Service" && o.Name == Workload(DeployedProgram.Gateway).Name);
        var gateway = Container(DeployedProgram.Gateway);

        Assert.Equal(
            Workload(DeployedProgram.Gateway).Node.Get("spec").Get("selector").Get("matchLabels").Entries().Select(e => (e.Key, e.Value.Text())),
            service.Node.Get("spec").Get("selector").Entries().Select(e => (e.Key, e.Value.Text())));
        var port = service.Node.Get("spec").Get("ports").Items().Single();
        Assert.Equal(DeployedProgram.Gateway.HttpPort, PortNumber(gateway, port.Get("targetPort").Text()!));
        Assert.True(service.Node.Get("spec").Get("sessionAffinity").Text() is null or "None", "any gateway serves any user");
    }

    [Theory]
    [InlineData("silo")]
    [InlineData("gateway")]
    public void Pods_run_as_the_images_non_root_user(string name)
    {
        var security = Workload(DeployedProgram.Named(name)).PodSpec.Get("securityContext");

        Assert.Equal("true", security.Get("runAsNonRoot").Text());
        Assert.NotEqual("0", security.Get("runAsUser").Text());
    }

    private static KubernetesObject Workload(DeployedProgram program) =>
        Objects.Single(o => o.Containers.Any(c => DeployedProgram.OfImage(c.Get("image").Text()) == program));

    private static YamlDotNet.RepresentationModel.YamlNode Container(DeployedProgram program) =>
        Workload(program).Containers.Single(c => DeployedProgram.OfImage(c.Get("image").Text()) == program);

    /// <summary>A probe or Service port: a number, or the name of one of the container's ports.</summary>
    private static int PortNumber(YamlDotNet.RepresentationModel.YamlNode container, string port) =>
        int.TryParse(port, out var number)
            ? number
            : int.Parse(container.Get("ports").Items().Single(p => p.Get("name").Text() == port).Get("containerPort").Text()!);
}
