using System.Text.Json.Nodes;
using Realtime.Gateway;
using Realtime.Gateway.Authentication;
using Realtime.Hosting;
using Realtime.Hosting.Operations;
using Realtime.Services;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Deploy;

/// <summary>A program deploy/ ships as an image: its Dockerfile, project, and the options sections it binds.</summary>
public sealed record DeployedProgram(string Name, string DockerfileName, string Image, string Project, IReadOnlyList<ConfigurationSection> Sections)
{
    public static DeployedProgram Silo { get; } = new("silo", "silo.Dockerfile", "realtime-orleans-silo", "Silo/Silo.csproj",
        [
            new(typeof(RealtimeClusterOptions), RealtimeClusterOptions.Section),
            new(typeof(ServiceQueueOptions), ServiceQueueOptions.Section),
            new(typeof(OperationsOptions), OperationsOptions.Section),
            new(typeof(Realtime.Quotes.QuoteHistoryOptions), Realtime.Quotes.QuoteHistoryOptions.Section),
            new(typeof(Realtime.Charts.BarCloseOptions), Realtime.Charts.BarCloseOptions.Section),
        ]);

    // "Django" is a literal in GatewayApplication: DjangoSessionOptions has no Section constant.
    public static DeployedProgram Gateway { get; } = new("gateway", "gateway.Dockerfile", "realtime-orleans-gateway", "Gateway/Gateway.csproj",
        [new(typeof(RealtimeClusterOptions), RealtimeClusterOptions.Section), new(typeof(GatewayOptions), GatewayOptions.Section), new(typeof(DjangoSessionOptions), "Django")]);

    public static IReadOnlyList<DeployedProgram> All { get; } = [Silo, Gateway];

    public static DeployedProgram Named(string name) => All.Single(p => p.Name == name);

    /// <summary>The program an image reference runs, whatever its registry, tag or digest.</summary>
    public static DeployedProgram? OfImage(string? image)
    {
        if (image is null)
        {
            return null;
        }
        var name = image.Split('@')[0];
        name = name[(name.LastIndexOf('/') + 1)..].Split(':')[0];
        return All.FirstOrDefault(p => p.Image == name);
    }

    public static DeployedProgram? OfDockerfile(string? path) =>
        path is null ? null : All.FirstOrDefault(p => Path.GetFileName(path) == p.DockerfileName);

    public Dockerfile Dockerfile => Dockerfile.Load(DockerfileName);

    public string ProjectPath => Path.Combine(RepositoryPaths.Root, Project);

    public JsonNode AppSettings => JsonNode.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(ProjectPath)!, "appsettings.json")))!;

    /// <summary>The HTTP port the image listens on: its <c>Urls</c>.</summary>
    public int HttpPort => new Uri(Dockerfile.EnvironmentVariables["Urls"]).Port;

    public override string ToString() => Name;
}
