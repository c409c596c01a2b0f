using System.Diagnostics;

namespace Realtime.Tests.Infrastructure;

/// <summary>
/// The real Silo program in a process of its own, configured through environment variables exactly as an operator
/// would, so a test can kill it with SIGKILL mid-work.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;

    private SiloProcess(Process process, int siloPort, int httpPort)
    {
        _process = process;
        SiloPort = siloPort;
        HttpPort = httpPort;
    }

    public int SiloPort { get; }

    /// <summary>The silo's HTTP port: /healthz, /readyz, /metrics and, when switched on, /dashboard.</summary>
    public int HttpPort { get; }

    public Uri Http(string path) => new($"http://127.0.0.1:{HttpPort}{path}");

    public bool HasExited => _process.HasExited;

    public static async Task<SiloProcess> Start(RealtimeCluster cluster, IDictionary<string, string>? environment = null)
    {
        var siloPort = FreePort.Next();
        var httpPort = FreePort.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { SiloAssembly() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(SiloAssembly())!,
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
        var silo = new SiloProcess(process, siloPort, httpPort);
        await Eventually.True(() => process.HasExited || IsListening(siloPort), $"silo process listens on {siloPort}", TimeSpan.FromSeconds(60));
        if (process.HasExited)
        {
            throw new InvalidOperationException($"The silo process exited with {process.ExitCode}: {output}");
        }
        return silo;
    }

    /// <summary>SIGKILL: no graceful shutdown, no deactivation, exactly like a crashed machine.</summary>
    public async Task Kill()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await Kill();
        }
        _process.Dispose();
    }

    private static bool IsListening(int port)
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

    private static string SiloAssembly()
    {
        // Tests/bin/<Configuration>/net10.0 -> Silo/bin/<Configuration>/net10.0
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testBin.Parent!.Name;
        var path = Path.Combine(RepositoryPaths.Root, "Silo", "bin", configuration, testBin.Name, "Realtime.Orleans.Silo.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first; the silo program is missing", path);
    }
}
