using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Deploy;

/// <summary>
/// The paths the HEALTHCHECKs and probes request are answered by the real programs, started as processes the way a
/// container starts them, not merely spelt like the routes in the source.
/// </summary>
public sealed class HealthRouteTests
{
    [Fact]
    public async Task The_silo_program_answers_every_health_route_deploy_checks()
    {
        await using var cluster = new RealtimeCluster(RedisServer.Shared);
        await using var silo = await ProductProcess.StartSilo(cluster);

        await AnswersEvery(HealthRoutes.Of(DeployedProgram.Silo), silo);
    }

    [Fact]
    public async Task The_gateway_program_answers_every_health_route_deploy_checks()
    {
        await using var cluster = new RealtimeCluster(RedisServer.Shared);
        await cluster.StartSilo();
        await using var gateway = await ProductProcess.StartGateway(cluster);

        await AnswersEvery(HealthRoutes.Of(DeployedProgram.Gateway), gateway);
    }

    /// <summary>Readiness may take a moment after start (the cluster must answer); an unmapped path never succeeds.</summary>
    private static async Task AnswersEvery(IReadOnlySet<string> paths, ProductProcess process)
    {
        using var http = new HttpClient();
        Assert.NotEmpty(paths);
        foreach (var path in paths)
        {
            var status = 0;
            try
            {
                await Eventually.True(async () =>
                {
                    status = (int)(await http.GetAsync(process.Http(path))).StatusCode;
                    return status is >= 200 and < 300;
                }, $"GET {path} succeeds");
            }
            catch (TimeoutException)
            {
                Assert.Fail($"GET {path} never succeeded; the last answer was {status}");
            }
        }
    }
}
