using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Realtime.Tests.Deploy;
using Realtime.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Realtime.Tests.Containers;

/// <summary>
/// deploy/docker-compose.yml run with plain <c>podman</c> commands, one service replica at a time, so a test can kill,
/// add and stop single containers. Every key of a service becomes the podman option compose would give it; a key
/// this runner does not know fails the test instead of being left out, so what runs is what the file says. The only
/// departures, each for the test machine: images a registry would supply are replaced by local stand-ins, host ports
/// are published on loopback only, and the services join a network of the test's own.
/// </summary>
public sealed partial class ComposeDeployment : IAsyncDisposable
{
    private static readonly HashSet<string> Translated =
        ["build", "image", "command", "environment", "env_file", "volumes", "ports", "healthcheck", "stop_grace_period", "restart", "depends_on"];

    private readonly YamlNode _services = DeployFolder.Compose.Get("services")!;
    private readonly Dictionary<string, List<string>> _containers = [];
    private readonly Dictionary<string, int> _started = [];
    private readonly IReadOnlyDictionary<string, string> _variables;
    private readonly IReadOnlyDictionary<string, string> _images;
    private readonly IReadOnlyDictionary<string, string> _envFiles;
    private readonly List<string> _volumes = [];

    private ComposeDeployment(IReadOnlyDictionary<string, string> variables, IReadOnlyDictionary<string, string> images, IReadOnlyDictionary<string, string> envFiles)
    {
        _variables = variables;
        _images = images;
        _envFiles = envFiles;
    }

    /// <summary>The compose project name: prefix of every container, volume and the network.</summary>
    public string Project { get; } = "rtc" + Guid.NewGuid().ToString("N")[..8];

    public string Network => Project;

    /// <summary>The containers of a service still running (or at least not removed), oldest first.</summary>
    public IReadOnlyList<string> Containers(string service) => _containers.GetValueOrDefault(service) ?? [];

    /// <param name="variables">what the shell would set for the file's <c>${VAR}</c> references</param>
    /// <param name="images">registry images (as the file names them) and the local stand-in for each</param>
    /// <param name="envFiles">env_file entries (as the file names them) and the file the test wrote for each</param>
    public static async Task<ComposeDeployment> Create(IReadOnlyDictionary<string, string> variables, IReadOnlyDictionary<string, string> images, IReadOnlyDictionary<string, string> envFiles)
    {
        var deployment = new ComposeDeployment(variables, images, envFiles);
        foreach (var (service, node) in deployment._services.Entries())
        {
            var unknown = node.Entries().Select(e => e.Key).Where(k => !Translated.Contains(k)).ToList();
            Assert.True(unknown.Count == 0, $"docker-compose.yml service {service} uses {string.Join(", ", unknown)}, which ComposeDeployment does not translate to podman yet");
        }
        await Podman.Output("network", "create", deployment.Network);
        foreach (var (volume, _) in DeployFolder.Compose.Get("volumes").Entries())
        {
            await Podman.Output("volume", "create", $"{deployment.Project}_{volume}");
            deployment._volumes.Add($"{deployment.Project}_{volume}");
        }
        return deployment;
    }

    /// <summary>
    /// Starts one more replica of <paramref name="service"/> once what it depends on is up (healthy where the file
    /// says <c>service_healthy</c>), and returns its container name. <paramref name="extra"/> are podman options the
    /// test adds (a loopback port onto Redis for the test's own producer, say).
    /// </summary>
    public async Task<string> Start(string service, params string[] extra)
    {
        var node = _services.Get(service) ?? throw new ArgumentException($"no service {service} in docker-compose.yml");
        foreach (var (dependency, condition) in DependsOn(node))
        {
            var containers = Containers(dependency);
            Assert.True(containers.Count > 0, $"{service} depends on {dependency}, which has no container");
            if (condition == "service_healthy")
            {
                foreach (var container in containers)
                {
                    await WaitHealthy(container, TimeSpan.FromSeconds(120));
                }
            }
        }
        var number = _started[service] = _started.GetValueOrDefault(service) + 1;
        var name = $"{Project}-{service}-{number}";
        var arguments = new List<string> { "run", "--detach", "--name", name, "--network", Network, "--network-alias", service };
        arguments.AddRange(Options(service, node));
        arguments.AddRange(extra);
        arguments.Add(Image(node));
        arguments.AddRange(node.Get("command").Items().Select(i => Interpolate(i.Text()!)));
        await Podman.Output([.. arguments]);
        (_containers.TryGetValue(service, out var list) ? list : _containers[service] = []).Add(name);
        return name;
    }

    /// <summary>Runs the container's HEALTHCHECK until it passes; podman only schedules it itself under systemd.</summary>
    public static async Task WaitHealthy(string container, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!await Podman.Healthy(container))
        {
            var state = await Podman.Output("inspect", "--format", "{{.State.Status}}", container);
            if (state != "running")
            {
                var logs = await Podman.Run("logs", "--tail", "30", container);
                throw new InvalidOperationException($"{container} is {state} instead of healthy: {logs.Output}{logs.Error}");
            }
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"{container} not healthy after {timeout}");
            }
            await Task.Delay(500);
        }
    }

    /// <summary>SIGKILL, like a crashed host: no shutdown at all.</summary>
    public async Task Kill(string service, string container)
    {
        await Podman.Output("kill", "--signal", "KILL", container);
        await Podman.Run("rm", "--force", container);
        _containers[service].Remove(container);
    }

    /// <summary><c>podman stop</c> (SIGTERM, then SIGKILL after the stop grace period): how long it took and the exit code.</summary>
    public async Task<(TimeSpan Took, int ExitCode)> Stop(string service, string container)
    {
        var clock = Stopwatch.StartNew();
        (await Podman.Run(["stop", container], TimeSpan.FromMinutes(2))).ThrowIfFailed($"podman stop {container}");
        var took = clock.Elapsed;
        var exitCode = int.Parse(await Podman.Output("inspect", "--format", "{{.State.ExitCode}}", container));
        if (exitCode != 0)
        {
            // What the program said last, before the container and its log are gone.
            var logs = await Podman.Run("logs", "--tail", "40", container);
            Console.WriteLine($"compose scenario: {container} exited with {exitCode} after {took}; its last output:\n{logs.Output}{logs.Error}");
        }
        await Podman.Run("rm", "--force", container);
        _containers[service].Remove(container);
        return (took, exitCode);
    }

    /// <summary>The stop grace period the file gives a service.</summary>
    public TimeSpan StopGracePeriod(string service) =>
        ShutdownTimeouts.ParseComposeDuration(_services.Get(service).Get("stop_grace_period").Text() ?? "10s");

    private IEnumerable<string> Options(string service, YamlNode node)
    {
        foreach (var (key, value) in node.Get("environment").Entries())
        {
            yield return "--env";
            yield return $"{key}={Interpolate(value.Text() ?? "")}";
        }
        foreach (var item in node.Get("environment").Items())
        {
            yield return "--env";
            yield return Interpolate(item.Text()!);
        }
        foreach (var envFile in DeployedEnvironment.EnvFiles(node))
        {
            yield return "--env-file";
            yield return _envFiles.TryGetValue(envFile, out var file) ? file : throw new InvalidOperationException($"{service}: the test wrote no {envFile}");
        }
        foreach (var volume in node.Get("volumes").Items().Select(v => Interpolate(v.Text()!)))
        {
            var parts = volume.Split(':');
            var source = parts[0].StartsWith('.') ? Path.GetFullPath(Path.Combine(DeployFolder.Root, parts[0])) : $"{Project}_{parts[0]}";
            yield return "--volume";
            yield return string.Join(':', [source, .. parts[1..]]);
        }
        foreach (var port in node.Get("ports").Items().Select(p => Interpolate(p.Text()!)))
        {
            // Loopback only: nothing on this machine may be reached from elsewhere.
            var parts = port.Split(':');
            yield return "--publish";
            yield return $"127.0.0.1:{parts[^2]}:{parts[^1]}";
        }
        if (node.Get("healthcheck") is { } health)
        {
            var test = health.Get("test").Items().Select(i => i.Text()!).ToArray();
            Assert.True(test.Length > 1 && test[0] == "CMD", $"{service}: only a [\"CMD\", ...] healthcheck is translated");
            yield return "--health-cmd";
            yield return JsonSerializer.Serialize(test[1..]);
            foreach (var (key, option) in new[] { ("interval", "--health-interval"), ("timeout", "--health-timeout"), ("retries", "--health-retries") })
            {
                if (health.Get(key).Text() is { } setting)
                {
                    yield return option;
                    yield return setting;
                }
            }
        }
        if (node.Get("stop_grace_period") is not null)
        {
            yield return "--stop-timeout";
            yield return ((int)StopGracePeriod(service).TotalSeconds).ToString();
        }
        if (node.Get("restart").Text() is { } restart)
        {
            yield return "--restart";
            yield return restart;
        }
    }

    private string Image(YamlNode node)
    {
        var image = Interpolate(node.Get("image").Text() ?? throw new InvalidOperationException("a service without an image"));
        return _images.GetValueOrDefault(image, image);
    }

    private static IEnumerable<(string Service, string Condition)> DependsOn(YamlNode node) =>
        node.Get("depends_on").Items().Select(i => (i.Text()!, "service_started"))
            .Concat(node.Get("depends_on").Entries().Select(e => (e.Key, e.Value.Get("condition").Text() ?? "service_started")));

    /// <summary>Compose's <c>${VAR}</c> and <c>${VAR:-default}</c>.</summary>
    private string Interpolate(string text) =>
        Variable().Replace(text, m => _variables.TryGetValue(m.Groups[1].Value, out var value) && value.Length > 0 ? value : m.Groups[3].Value);

    public async ValueTask DisposeAsync()
    {
        foreach (var container in _containers.Values.SelectMany(c => c))
        {
            await Podman.Run("rm", "--force", "--time", "0", container);
        }
        await Podman.Run("network", "rm", "--force", Network);
        foreach (var volume in _volumes)
        {
            await Podman.Run("volume", "rm", "--force", volume);
        }
    }

    [GeneratedRegex(@"\$\{(\w+)(:-([^}]*))?\}")]
    private static partial Regex Variable();
}
