using YamlDotNet.RepresentationModel;

namespace Realtime.Tests.Deploy;

/// <summary>Every environment variable deploy/ gives the silo and the gateway: image, compose file, manifests.</summary>
public static class DeployedEnvironment
{
    public static IReadOnlyList<DeployedVariable> All() => [.. FromDockerfiles(), .. FromCompose(), .. FromKubernetes()];

    public static IEnumerable<DeployedVariable> FromDockerfiles() =>
        DeployedProgram.All.SelectMany(p => p.Dockerfile.EnvironmentVariables.Select(kv => new DeployedVariable(p, kv.Key, kv.Value, p.DockerfileName)));

    /// <summary>The services that run one of the programs, with the program.</summary>
    public static IEnumerable<(string Service, YamlNode Node, DeployedProgram Program)> ComposeServices() =>
        DeployFolder.Compose.Get("services").Entries()
            .Select(s => (s.Key, s.Value, Program: DeployedProgram.OfDockerfile(s.Value.Get("build").Get("dockerfile").Text()) ?? DeployedProgram.OfImage(s.Value.Get("image").Text())))
            .Where(s => s.Program is not null)
            .Select(s => (s.Key, s.Value, s.Program!));

    public static IEnumerable<DeployedVariable> FromCompose()
    {
        foreach (var (service, node, program) in ComposeServices())
        {
            var source = $"docker-compose.yml service {service}";
            // environment is either a mapping or a list of KEY=value.
            foreach (var (key, value) in node.Get("environment").Entries())
            {
                yield return new DeployedVariable(program, key, value.Text(), source);
            }
            foreach (var item in node.Get("environment").Items())
            {
                var pair = item.Text()!.Split('=', 2);
                yield return new DeployedVariable(program, pair[0], pair.ElementAtOrDefault(1), source);
            }
            foreach (var envFile in EnvFiles(node))
            {
                // The real file holds secrets and is not in git; its .example is what the repository knows.
                var file = File.Exists(DeployFolder.PathOf(envFile)) ? envFile : envFile + ".example";
                foreach (var (key, value) in DeployFolder.LoadEnvFile(file))
                {
                    yield return new DeployedVariable(program, key, value, file);
                }
            }
        }
    }

    /// <summary>The env_file entries of a compose service: a string, a list of strings, or a list of {path}.</summary>
    public static IEnumerable<string> EnvFiles(YamlNode service)
    {
        var envFile = service.Get("env_file");
        if (envFile.Text() is { } single)
        {
            return [single];
        }
        return envFile.Items().Select(i => i.Text() ?? i.Get("path").Text()!);
    }

    public static IEnumerable<DeployedVariable> FromKubernetes()
    {
        var objects = KubernetesObject.All();
        foreach (var workload in objects)
        {
            foreach (var container in workload.Containers)
            {
                if (DeployedProgram.OfImage(container.Get("image").Text()) is not { } program)
                {
                    continue;
                }
                var source = $"{workload} container {container.Get("name").Text()}";
                foreach (var variable in container.Get("env").Items())
                {
                    yield return new DeployedVariable(program, variable.Get("name").Text()!, variable.Get("value").Text(), source);
                }
                // envFrom turns every key of the ConfigMap or Secret into a variable.
                foreach (var from in container.Get("envFrom").Items())
                {
                    var (kind, name) = from.Get("configMapRef") is { } map ? ("ConfigMap", map.Get("name").Text()!) : ("Secret", from.Get("secretRef").Get("name").Text()!);
                    var referenced = objects.FirstOrDefault(o => o.Kind == kind && o.Name == name)
                        ?? throw new InvalidDataException($"{source} takes its environment from {kind} {name}, which deploy/k8s does not define");
                    foreach (var (key, value) in referenced.Node.Get("data").Entries().Concat(referenced.Node.Get("stringData").Entries()))
                    {
                        yield return new DeployedVariable(program, key, value.Text(), $"{source} from {referenced}");
                    }
                }
            }
        }
    }
}
