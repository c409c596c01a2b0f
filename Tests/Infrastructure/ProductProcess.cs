using System.Diagnostics;

namespace Realtime.Tests.Infrastructure;

/// <summary>
/// The real Silo or Gateway program in a process of its own, configured through environment variables exactly as
/// an operator would, so a test can kill it with SIGKILL mid-work.
/// </summary>
public sealed class ProductProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output;

    private ProductProcess(Process process, System.Text.StringBuilder output, int siloPort, int httpPort)
    {
        _process = process;
        _output = output;
        SiloPort = siloPort;
        HttpPort = httpPort;
    }

    /// <summary>What the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>The operating system's process id.</summary>
    public int Pid => _process.Id;

    /// <summary>The silo-to-silo port (silos only).</summary>
    public int SiloPort { get; }

    /// <summary>The HTTP port: /healthz, /readyz, /metrics; the WebSocket endpoint on a gateway, /dashboard on a silo.</summary>
    public int HttpPort { get; }

    public bool HasExited => _process.HasExited;

    public Uri Http(string path) => new($"http://127.0.0.1:{HttpPort}{path}");

    public Uri WebSocket(string sessionId) => new($"ws://127.0.0.1:{HttpPort}/ws?sessionid={Uri.EscapeDataString(sessionId)}");

    /// <param name="build">Whose program to run: this tree's (the default) or another build's, such as an earlier release.</param>
    public static Task<ProductProcess> StartSilo(RealtimeCluster cluster, IDictionary<string, string>? environment = null, ProductBuild? build = null) =>
        Start(cluster, "Silo", environment, build ?? ProductBuild.Current);

    /// <summary>A gateway process; <paramref name="httpPort"/> lets a test restart one on the same address.</summary>
    public static Task<ProductProcess> StartGateway(RealtimeCluster cluster, int? httpPort = null, IDictionary<string, string>? environment = null, ProductBuild? build = null)
    {
        // The shipped defaults: a scenario that passes only with a faster refresh proves nothing about what users run.
        return Start(cluster, "Gateway", environment, build ?? ProductBuild.Current, httpPort);
    }

    /// <summary>
    /// Runs a program that is expected to refuse to start (a wrong setting) and returns how it exited and what it wrote;
    /// fails if it is still running after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunToExit(RealtimeCluster cluster, string program, IDictionary<string, string> environment, TimeSpan timeout)
    {
        var (process, output) = Launch(cluster, ProductBuild.Current.Assembly(program), environment, FreePort.Next(), FreePort.Next());
        using (process)
        {
            try
            {
                await process.WaitForExitAsync().WaitAsync(timeout);
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            lock (output)
            {
                return (process.ExitCode, output.ToString());
            }
        }
    }

    private static async Task<ProductProcess> Start(RealtimeCluster cluster, string program, IDictionary<string, string>? environment, ProductBuild build, int? fixedHttpPort = null)
    {
        var siloPort = FreePort.Next();
        var httpPort = fixedHttpPort ?? FreePort.Next();
        var (process, output) = Launch(cluster, build.Assembly(program), environment, siloPort, httpPort);
        var started = new ProductProcess(process, output, siloPort, httpPort);
        var listenPort = program == "Silo" ? siloPort : httpPort;
        await Eventually.True(() => process.HasExited || IsListening(listenPort), $"{program} process listens on {listenPort}", TimeSpan.FromSeconds(60));
        if (process.HasExited)
        {
            throw new InvalidOperationException($"The {program} process exited with {process.ExitCode}: {output}");
        }
        return started;
    }

    private static (Process Process, System.Text.StringBuilder Output) Launch(RealtimeCluster cluster, string assembly, IDictionary<string, string>? environment, int siloPort, int httpPort)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { assembly },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        foreach (var (key, value) in cluster.SharedSettings())
        {
            start.Environment[key.Replace(":", "__")] = value;
        }
        start.Environment["Cluster__SiloPort"] = siloPort.ToString();
        start.Environment["Cluster__GatewayPort"] = FreePort.Next().ToString();
        start.Environment["Urls"] = $"http://127.0.0.1:{httpPort}";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, output);
    }

    /// <summary>SIGKILL: no graceful shutdown, no deactivation, exactly like a crashed machine.</summary>
    public async Task Kill()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as an orchestrator stops a container, and waits for the process to exit.</summary>
    public async Task Terminate(TimeSpan timeout)
    {
        await SendTerminate();
        await _process.WaitForExitAsync().WaitAsync(timeout);
    }

    /// <summary>SIGTERM without waiting: the test watches what the process does while it stops.</summary>
    public async Task SendTerminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()])!;
        await kill.WaitForExitAsync();
    }

    /// <summary>Completes when the process has exited and its output has been read to the end.</summary>
    public Task Exited => _process.WaitForExitAsync();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await Kill();
        }
        _process.Dispose();
    }

    /// <summary>Whether something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    internal static bool IsListening(int port)
    {
        try
        {
            using var client = new System.Net.Sockets.TcpClient("127.0.0.1", port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
