using Microsoft.Extensions.Options;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Operations;

/// <summary>A wrong setting stops start-up with a message that names the key, instead of failing later.</summary>
public sealed class ConfigurationValidationTests
{
    [Fact]
    public async Task A_gateway_without_the_django_secret_key_refuses_to_start_naming_the_key()
    {
        await using var cluster = new RealtimeCluster(RedisServer.Shared);
        await cluster.StartSilo();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => cluster.StartGateway(new Dictionary<string, string?> { ["Django:SecretKey"] = null }));

        Assert.Contains("Django:SecretKey", error.Message);
    }

    [Theory]
    [InlineData("Gateway:MaxFrameBytes", "12")]
    [InlineData("Gateway:HeartbeatSeconds", "0")]
    [InlineData("Gateway:SendQueueCapacity", "-1")]
    [InlineData("Gateway:DrainBatchSize", "0")]
    [InlineData("Gateway:DrainBatchIntervalMilliseconds", "5")]
    public async Task A_gateway_limit_out_of_range_refuses_to_start_naming_the_setting(string key, string value)
    {
        await using var cluster = new RealtimeCluster(RedisServer.Shared);
        await cluster.StartSilo();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => cluster.StartGateway(new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(key.Split(':')[1], error.Message);
    }

    [Fact]
    public async Task A_silo_with_a_batch_size_of_zero_refuses_to_start_naming_the_setting()
    {
        await using var cluster = new RealtimeCluster(RedisServer.Shared);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => cluster.StartSilo(new Dictionary<string, string?> { ["ServiceQueue:BatchSize"] = "0" }));

        Assert.Contains("ServiceQueue:BatchSize", error.Message);
    }

    [Theory]
    [InlineData("Cluster:ProbeTimeoutSeconds", "0")]
    [InlineData("Cluster:ClusterId", "")]
    [InlineData("Cluster:AdvertisedIP", "not-an-address")]
    [InlineData("ServiceQueue:MaxAttempts", "0")]
    [InlineData("ServiceQueue:DeadLetterCap", "-5")]
    [InlineData("Quotes:HistoryBars", "5")]
    [InlineData("Quotes:HistoryBars", "100001")]
    [InlineData("Quotes:HistoryBarsByPeriod:1m", "200000")]
    [InlineData("Quotes:HistoryBarsByPeriod:2m", "2000")]
    [InlineData("Charts:CloseGraceMilliseconds", "-1")]
    [InlineData("Charts:CloseGraceMilliseconds", "60001")]
    public async Task A_silo_with_a_setting_out_of_range_refuses_to_start_naming_the_key(string key, string value)
    {
        await using var cluster = new RealtimeCluster(RedisServer.Shared);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => cluster.StartSilo(new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(key, error.Message);
    }

    [Theory]
    [InlineData("Backend:Forward:orders", "")]
    [InlineData("Backend:Forward:has space", "queue:x")]
    [InlineData("Backend:MaxQueueLength", "0")]
    [InlineData("Backend:TimeoutMilliseconds", "10")]
    public async Task A_silo_with_a_bad_backend_setting_refuses_to_start_naming_the_key(string key, string value)
    {
        await using var cluster = new RealtimeCluster(RedisServer.Shared);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => cluster.StartSilo(new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(key, error.Message);
    }

    [Fact]
    public async Task A_forwarded_type_that_a_handler_already_claims_stops_the_silo_naming_the_type()
    {
        await using var cluster = new RealtimeCluster(RedisServer.Shared);

        var error = await Assert.ThrowsAsync<Realtime.Registration.DuplicateHandlerException>(() => cluster.StartSilo(new Dictionary<string, string?> { ["Backend:Forward:ping"] = "queue:x" }));

        Assert.Contains("'ping'", error.Message);
    }

    [Theory]
    [InlineData("Api:Key", "too-short-key")]
    [InlineData("Api:MaxBodyBytes", "10")]
    public async Task A_gateway_with_a_bad_api_setting_refuses_to_start_naming_the_key_but_never_its_value(string key, string value)
    {
        await using var cluster = new RealtimeCluster(RedisServer.Shared);
        await cluster.StartSilo();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => cluster.StartGateway(new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(key, error.Message);
        Assert.DoesNotContain("too-short-key", error.Message);
    }

    [Theory]
    [InlineData("Cluster:GatewayPort", "70000")]
    [InlineData("Cluster:Redis", "")]
    [InlineData("Cluster:Redis", "127.0.0.1:6379,nosuchoption=1")]
    [InlineData("Cluster:Redis", "serviceName=mymaster")]
    public async Task A_gateway_with_a_cluster_setting_out_of_range_refuses_to_start_naming_the_key(string key, string value)
    {
        await using var cluster = new RealtimeCluster(RedisServer.Shared);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => cluster.StartGateway(new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(key, error.Message);
    }

    [Theory]
    [InlineData("Gateway", "Api__Key", "too-short-key", "Api:Key")]
    [InlineData("Gateway", "Gateway__MaxFrameBytes", "lots", "Gateway:MaxFrameBytes")]
    [InlineData("Gateway", "Gateway__DirectUpgrade", "maybe", "Gateway:DirectUpgrade")]
    [InlineData("Gateway", "Django__SecretKey", "", "Django:SecretKey")]
    [InlineData("Silo", "Backend__Forward__ping", "queue:x", "Backend:Forward:ping")]
    [InlineData("Silo", "ServiceQueue__BatchSize", "0", "ServiceQueue:BatchSize")]
    [InlineData("Silo", "Cluster__ProbeTimeoutSeconds", "0", "Cluster:ProbeTimeoutSeconds")]
    [InlineData("Silo", "Silo__EmbeddedGateway", "maybe", "Silo:EmbeddedGateway")]
    public async Task A_program_with_a_bad_setting_prints_one_line_naming_the_key_and_exits_2(string program, string variable, string value, string key)
    {
        await using var cluster = new RealtimeCluster(RedisServer.Shared);

        var (exitCode, output) = await ProductProcess.RunToExit(cluster, program, new Dictionary<string, string> { [variable] = value }, TimeSpan.FromSeconds(60));

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"{lines.Length} lines:\n{output}");
        Assert.StartsWith("configuration error: ", lines[0]);
        Assert.Contains(key, lines[0]);
        Assert.Equal(Realtime.Hosting.ProgramHost.ConfigurationErrorExitCode, exitCode);
        if (key == "Api:Key")
        {
            Assert.DoesNotContain(value, lines[0]);
        }
    }

    [Theory]
    [InlineData("Silo")]
    [InlineData("Gateway")]
    public async Task A_redis_connection_string_that_cannot_be_read_prints_one_line_naming_the_key_but_never_the_password(string program)
    {
        await using var cluster = new RealtimeCluster(RedisServer.Shared);

        var (exitCode, output) = await ProductProcess.RunToExit(cluster, program,
            new Dictionary<string, string> { ["Cluster__Redis"] = "127.0.0.1:26379,password=hunter2-secret,servicename=mymaster,sentinel=yes" }, TimeSpan.FromSeconds(60));

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"{lines.Length} lines:\n{output}");
        Assert.StartsWith("configuration error: Cluster:Redis", lines[0]);
        Assert.DoesNotContain("hunter2", lines[0]);
        Assert.Equal(Realtime.Hosting.ProgramHost.ConfigurationErrorExitCode, exitCode);
    }

    /// <summary>
    /// Redis Cluster is not supported (README, docs/compatibility.md): pointed at a cluster node, a silo says so in
    /// one line at start-up rather than failing at the first queue message with CROSSSLOT.
    /// </summary>
    [Fact]
    public async Task A_silo_pointed_at_a_redis_cluster_node_refuses_to_start_in_one_line_naming_the_key()
    {
        var port = FreePort.Next();
        var dir = Directory.CreateTempSubdirectory("realtime-redis-cluster-").FullName;
        using var node = System.Diagnostics.Process.Start("/usr/bin/redis-server",
            ["--port", port.ToString(), "--bind", "127.0.0.1", "--dir", dir, "--cluster-enabled", "yes", "--save", "", "--appendonly", "no"])!;
        try
        {
            await Eventually.True(() => ProductProcess.IsListening(port), "the cluster node listens", TimeSpan.FromSeconds(10));
            await using var cluster = new RealtimeCluster(RedisServer.Shared);

            var (exitCode, output) = await ProductProcess.RunToExit(cluster, "Silo", new Dictionary<string, string> { ["Cluster__Redis"] = $"127.0.0.1:{port}" }, TimeSpan.FromSeconds(60));

            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.True(lines.Length == 1, $"{lines.Length} lines:\n{output}");
            Assert.StartsWith("configuration error: Cluster:Redis names a Redis Cluster", lines[0]);
            Assert.Equal(Realtime.Hosting.ProgramHost.ConfigurationErrorExitCode, exitCode);
        }
        finally
        {
            node.Kill(entireProcessTree: true);
            await node.WaitForExitAsync();
            Directory.Delete(dir, recursive: true);
        }
    }
}
