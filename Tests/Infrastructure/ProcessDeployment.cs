namespace Realtime.Tests.Infrastructure;

/// <summary>
/// The deployment an operator runs, as real processes with the shipped defaults: silos and gateways on Redis
/// clustering against a private Redis (so a test may restart it), the reference sessions stored, and an in-process
/// Orleans client with no sockets of its own to read grain state as an operator would.
/// </summary>
public sealed class ProcessDeployment : IAsyncDisposable
{
    private ProcessDeployment(RedisServer redis)
    {
        Redis = redis;
        Cluster = new RealtimeCluster(redis);
    }

    public RedisServer Redis { get; }

    public RealtimeCluster Cluster { get; }

    /// <summary>The silo processes still running: a test that kills one removes it.</summary>
    public List<ProductProcess> Silos { get; } = [];

    public List<ProductProcess> Gateways { get; } = [];

    /// <param name="gatewayEnvironment">Settings every gateway process gets on top of the shipped defaults (an API key, logging).</param>
    public static Task<ProcessDeployment> Start(int silos = 3, int gateways = 2, IDictionary<string, string>? gatewayEnvironment = null) =>
        Start(async deployment =>
        {
            for (var i = 0; i < silos; i++)
            {
                deployment.Silos.Add(await ProductProcess.StartSilo(deployment.Cluster));
            }
            for (var i = 0; i < gateways; i++)
            {
                deployment.Gateways.Add(await ProductProcess.StartGateway(deployment.Cluster, environment: gatewayEnvironment));
            }
        });

    /// <summary>
    /// The one-machine topology scripts/run.sh runs: silos that serve WebSockets themselves (Silo:EmbeddedGateway),
    /// each in <see cref="Silos"/> and <see cref="Gateways"/> at once, with no gateway process.
    /// </summary>
    public static Task<ProcessDeployment> StartEmbedded(int silos = 2) =>
        Start(async deployment =>
        {
            for (var i = 0; i < silos; i++)
            {
                var silo = await ProductProcess.StartSilo(deployment.Cluster, new Dictionary<string, string> { ["Silo__EmbeddedGateway"] = "true" });
                deployment.Silos.Add(silo);
                deployment.Gateways.Add(silo);
            }
            // Ready as a load balancer sees it: a client that connects while the cluster is still forming is told
            // 1013 (try again), which is right, but not what this deployment is for.
            using var http = new HttpClient();
            foreach (var silo in deployment.Silos)
            {
                await Eventually.True(async () => (await http.GetAsync(silo.Http("/readyz"))).IsSuccessStatusCode, $"the embedded silo on {silo.HttpPort} is ready", TimeSpan.FromSeconds(60));
            }
        });

    /// <summary>Starts the processes on a private Redis, then an in-process client, and stores the reference sessions.</summary>
    private static Task<ProcessDeployment> Start(Func<ProcessDeployment, Task> startProcesses) =>
        Start(RedisServer.StartPrivate(), startProcesses);

    /// <summary>
    /// Starts the processes <paramref name="startProcesses"/> chooses on <paramref name="redis"/> (which the deployment
    /// disposes), then an in-process client, and stores the reference sessions.
    /// </summary>
    public static async Task<ProcessDeployment> Start(RedisServer redis, Func<ProcessDeployment, Task> startProcesses)
    {
        var deployment = new ProcessDeployment(redis);
        try
        {
            await startProcesses(deployment);
            await deployment.Cluster.StartGateway();
            await DjangoSessions.StoreAll(deployment.Redis);
            return deployment;
        }
        catch
        {
            // The test never gets the deployment to dispose: leave no process running behind it.
            await deployment.DisposeAsync();
            throw;
        }
    }

    /// <summary>The silo process an Orleans silo address (as grains report it) names.</summary>
    public ProductProcess SiloAt(string siloAddress) =>
        Silos.Single(s => siloAddress.Contains($":{s.SiloPort}:") || siloAddress.Contains($":{s.SiloPort}@"));

    /// <summary>SIGKILLs a silo and forgets it.</summary>
    public async Task Kill(ProductProcess silo)
    {
        await silo.Kill();
        Silos.Remove(silo);
        Gateways.Remove(silo);
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        foreach (var process in Gateways.Concat(Silos).Distinct())
        {
            await process.DisposeAsync();
        }
        await Redis.DisposeAsync();
    }
}
