namespace Realtime.Tests.Deploy;

/// <summary>The HTTP paths deploy/ checks a program's health on: the image's HEALTHCHECK and the Kubernetes probes.</summary>
public static class HealthRoutes
{
    public static IReadOnlySet<string> Of(DeployedProgram program)
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal) { program.Dockerfile.HealthCheckUrl.AbsolutePath };
        foreach (var container in KubernetesObject.All().SelectMany(o => o.Containers).Where(c => DeployedProgram.OfImage(c.Get("image").Text()) == program))
        {
            foreach (var probe in Probes(container))
            {
                if (probe.Get("httpGet").Get("path").Text() is { } path)
                {
                    paths.Add(path);
                }
            }
        }
        return paths;
    }

    public static IEnumerable<YamlDotNet.RepresentationModel.YamlNode> Probes(YamlDotNet.RepresentationModel.YamlNode container) =>
        new[] { "startupProbe", "readinessProbe", "livenessProbe" }.Select(container.Get).OfType<YamlDotNet.RepresentationModel.YamlNode>();
}
