using System.Diagnostics;

namespace Realtime.Tests.Infrastructure;

/// <summary>
/// docs/examples/echo_backend.py in a process of its own, with Debian's python3 and redis-py (scripts/test.sh installs
/// them): a real backend program reading its Redis list and answering on the server's queue, as the docs tell one to.
/// </summary>
public sealed class BackendProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();

    private BackendProcess(Process process)
    {
        _process = process;
    }

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

    public static string Script => Path.Combine(RepositoryPaths.Root, "docs", "examples", "echo_backend.py");

    /// <summary>Starts the example backend on <paramref name="list"/> and waits until it has reached Redis.</summary>
    public static async Task<BackendProcess> StartEcho(RedisServer redis, string list)
    {
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var start = new ProcessStartInfo(python)
        {
            ArgumentList = { "-u", Script, $"redis://127.0.0.1:{redis.Port}/0", list },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var backend = new BackendProcess(Process.Start(start) ?? throw new InvalidOperationException("python3 did not start"));
        backend._process.OutputDataReceived += (_, e) => backend.Append(e.Data);
        backend._process.ErrorDataReceived += (_, e) => backend.Append(e.Data);
        backend._process.BeginOutputReadLine();
        backend._process.BeginErrorReadLine();
        await Eventually.True(() => backend._process.HasExited || backend.Output.Contains("ready"), "the backend process reached Redis", TimeSpan.FromSeconds(30));
        if (backend._process.HasExited)
        {
            throw new InvalidOperationException($"The backend exited with {backend._process.ExitCode} (run scripts/test.sh, which installs python3-redis): {backend.Output}");
        }
        return backend;
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
