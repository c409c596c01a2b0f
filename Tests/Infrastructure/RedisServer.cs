using System.Diagnostics;
using StackExchange.Redis;

namespace Realtime.Tests.Infrastructure;

/// <summary>
/// The real Redis the tests use. The test command starts one and names it in REALTIME_TEST_REDIS; a test that needs
/// to stop and restart Redis, or a run without that variable, starts a private redis-server on a free port.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;
    private readonly string? _dataDir;

    private RedisServer(string connectionString, Process? process, string? dataDir, int port)
    {
        ConnectionString = connectionString;
        _process = process;
        _dataDir = dataDir;
        Port = port;
        Connection = ConnectionMultiplexer.Connect(connectionString + ",abortConnect=false");
    }

    public string ConnectionString { get; }

    public int Port { get; }

    public IConnectionMultiplexer Connection { get; }

    public IDatabase Database => Connection.GetDatabase();

    /// <summary>The shared server of this test run.</summary>
    public static RedisServer Shared => SharedServer.Value;

    private static readonly Lazy<RedisServer> SharedServer = new(() =>
        Environment.GetEnvironmentVariable("REALTIME_TEST_REDIS") is { Length: > 0 } endpoint
            ? new RedisServer(endpoint, null, null, int.Parse(endpoint.Split(':')[^1]))
            : StartPrivate());

    /// <summary>
    /// A Redis this class neither started nor stops, reached through <paramref name="connectionString"/> (a Sentinel
    /// service, for instance); only the connection is closed on dispose.
    /// </summary>
    public static RedisServer Attach(string connectionString) => new(connectionString, null, null, 0);

    /// <summary>Starts a redis-server of this test's own, with append-only persistence so a restart keeps data.</summary>
    public static RedisServer StartPrivate()
    {
        var port = FreePort.Next();
        var dataDir = Directory.CreateTempSubdirectory("realtime-redis-").FullName;
        var process = Launch(port, dataDir);
        return new RedisServer($"127.0.0.1:{port}", process, dataDir, port);
    }

    /// <summary>Kills this private server and starts it again on the same port and data.</summary>
    public async Task Restart()
    {
        await Stop();
        _process = Launch(Port, _dataDir!);
    }

    /// <summary>Stops this private server the way an operator restarts it (SHUTDOWN writes the append-only file), then starts it again.</summary>
    public async Task RestartGracefully()
    {
        using (var shutdown = Process.Start("redis-cli", ["-p", Port.ToString(), "shutdown"]))
        {
            await shutdown.WaitForExitAsync();
        }
        await _process!.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        _process = Launch(Port, _dataDir!);
    }

    /// <summary>Freezes this private server (SIGSTOP): connections stay open and nothing answers, as in a hung host.</summary>
    public Task Pause() => Signal("STOP");

    /// <summary>Lets a paused server run again (SIGCONT).</summary>
    public Task Resume() => Signal("CONT");

    private async Task Signal(string signal)
    {
        if (_process is not { HasExited: false })
        {
            throw new InvalidOperationException("Only a running private Redis can be signalled");
        }
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString()]);
        await kill.WaitForExitAsync();
    }

    /// <summary>Kills this private server (SIGKILL), as a crash would.</summary>
    public async Task Stop()
    {
        if (_dataDir is null)
        {
            throw new InvalidOperationException("Only a private Redis can be stopped");
        }
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    private static Process Launch(int port, string dataDir) => RedisProcess.Launch(
        ["--port", port.ToString(), "--bind", "127.0.0.1", "--dir", dataDir, "--appendonly", "yes", "--save", "", "--daemonize", "no"], port);

    public async ValueTask DisposeAsync()
    {
        await Connection.CloseAsync();
        if (_process is not null)
        {
            await Stop();
            Directory.Delete(_dataDir!, recursive: true);
        }
    }
}
