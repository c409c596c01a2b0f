using System.Diagnostics;
using Realtime.Bench.Measurement;

namespace Realtime.Bench.Runner;

/// <summary>
/// A server program (a built .dll) in a process of its own, configured by environment variables as an operator
/// would, its output kept in a log file. Started and killed by the runner only.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static int _started;

    private readonly Process _process;
    private readonly StreamWriter _log;

    private ServerProcess(string name, Process process, StreamWriter log)
    {
        Name = name;
        _process = process;
        _log = log;
    }

    public string Name { get; }

    public MonitoredProcess Monitored => new(Name, _process.Id);

    /// <summary>Starts <paramref name="dll"/> and waits until <paramref name="health"/> answers 200 (bounded).</summary>
    public static async Task<ServerProcess> Start(string name, string dll, IReadOnlyDictionary<string, string> environment, Uri health, string logDirectory)
    {
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{name}: build it first (Bench/run.sh does)", dll);
        }
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll },
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        // Numbered: every scenario starts the servers afresh, and each run's log is kept.
        var log = new StreamWriter(Path.Combine(logDirectory, $"{Interlocked.Increment(ref _started):D2}-{name}.log")) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start");
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(name, process, log);
        await server.WaitHealthy(health);
        return server;
    }

    private async Task WaitHealthy(Uri health)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}; see its log");
            }
            try
            {
                using var response = await http.GetAsync(health);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{Name} did not answer {health} within {StartTimeout}");
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (log)
        {
            log.WriteLine(line);
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
        lock (_log)
        {
            _log.Dispose();
        }
    }
}
