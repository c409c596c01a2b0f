using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Browser;

/// <summary>
/// A node program of the browser client (under <c>Client/</c>) in a child process, talked to line by line: the
/// test reads what it prints on stdout and answers on stdin. Everything it prints is kept for the failure message.
/// </summary>
public sealed class NodeProgram : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _transcript = new();

    private NodeProgram(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.Writer.TryComplete();
                return;
            }
            Record(e.Data);
            _lines.Writer.TryWrite(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Record("stderr: " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static string ClientFolder => Path.Combine(RepositoryPaths.Root, "Client");

    /// <summary>Everything the program printed so far, stdout and stderr interleaved.</summary>
    public string Transcript
    {
        get
        {
            lock (_transcript)
            {
                return _transcript.ToString();
            }
        }
    }

    /// <summary>Starts <c>node</c> in <c>Client/</c> with these arguments.</summary>
    public static NodeProgram Start(params string[] arguments)
    {
        if (!Directory.Exists(Path.Combine(ClientFolder, "node_modules", "playwright-core")))
        {
            throw new InvalidOperationException(
                "Client/node_modules is missing: run scripts/test.sh, which runs `npm ci` and `npm run build` in Client/ before building");
        }
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = ClientFolder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return new NodeProgram(Process.Start(start) ?? throw new InvalidOperationException("node did not start"));
    }

    /// <summary>
    /// The next stdout line starting with <paramref name="prefix"/>. A <c>FAIL</c> line, the program's exit or the
    /// deadline fails the test with everything the program printed.
    /// </summary>
    public async Task<string> Next(string prefix, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var line = await _lines.Reader.ReadAsync(deadline.Token);
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return line;
                }
                if (line.StartsWith("FAIL", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"The browser failed while the test waited for '{prefix}':\n{Transcript}");
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No '{prefix}' line within {timeout.TotalSeconds:0} s:\n{Transcript}");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"The program ended before printing '{prefix}':\n{Transcript}");
        }
    }

    public async Task Send(string line)
    {
        Record("stdin: " + line);
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits for the program to end and returns its exit code.</summary>
    public async Task<int> Exit(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    private void Record(string line)
    {
        lock (_transcript)
        {
            _transcript.AppendLine(line);
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
