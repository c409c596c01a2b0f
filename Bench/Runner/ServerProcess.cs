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
    private int _disposed;

    private ServerProcess(string name, Process process, StreamWriter log, string logPath)
    {
        Name = name;
        LogPath = logPath;
        _process = process;
        _log = log;
    }

    public string Name { get; }

    /// <summary>The file its standard output and error go to.</summary>
    public string LogPath { get; }

    /// <summary>Whether it is still running, and if not, how it ended: for a report of a scenario that failed.</summary>
    public string State
    {
        get
        {
            try
            {
                return _process.HasExited ? $"exited with {_process.ExitCode}" : "running";
            }
            catch (InvalidOperationException)
            {
                return "stopped";
            }
        }
    }

    /// <summary>The last <paramref name="count"/> lines of its log, for a report of a scenario that failed.</summary>
    public IReadOnlyList<string> LogTail(int count)
    {
        lock (_log)
        {
            try
            {
                using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
                var tail = new Queue<string>();
                while (reader.ReadLine() is { } line)
                {
                    tail.Enqueue(line);
                    if (tail.Count > count)
                    {
                        tail.Dequeue();
                    }
                }
                return [.. tail];
            }
            catch (IOException)
            {
                return [];
            }
        }
    }

    public MonitoredProcess Monitored => new(Name, _process.Id);

    /// <summary>Starts <paramref name="dll"/> and waits until <paramref name="health"/> answers 200 (bounded).</summary>
    public static Task<ServerProcess> Start(string name, string dll, IReadOnlyDictionary<string, string> environment, Uri health, string logDirectory)
    {
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{name}: build it first (Bench/run.sh does)", dll);
        }
        return Start(name, "dotnet", [dll], Path.GetDirectoryName(dll)!, environment, health, logDirectory);
    }

    /// <summary>Starts <paramref name="program"/> with <paramref name="arguments"/> and waits until <paramref name="health"/> answers 200 (bounded).</summary>
    public static async Task<ServerProcess> Start(
        string name, string program, IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment, Uri health, string logDirectory)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        // Numbered: every scenario starts the servers afresh, and each run's log is kept.
        var logPath = Path.Combine(logDirectory, $"{Interlocked.Increment(ref _started):D2}-{name}.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start");
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(name, process, log, logPath);
        try
        {
            await server.WaitHealthy(health);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            await server.DisposeAsync();
            var tail = server.LogTail(5);
            throw new InvalidOperationException(tail.Count == 0 ? e.Message : $"{e.Message}; its last lines: {string.Join(" | ", tail)}", e);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
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
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} while starting; see {LogPath}");
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
        throw new TimeoutException($"{Name} did not answer {health} within {StartTimeout}; see {LogPath}");
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
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
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
