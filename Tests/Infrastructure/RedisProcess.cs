using System.Diagnostics;
using System.Net.Sockets;

namespace Realtime.Tests.Infrastructure;

/// <summary>Starts Debian's redis-server (a data server or a sentinel) and returns once it listens on its port.</summary>
public static class RedisProcess
{
    private static readonly TimeSpan ListenWithin = TimeSpan.FromSeconds(10);

    public static Process Launch(IEnumerable<string> arguments, int port)
    {
        var binary = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server is not installed; run the test command (scripts/test.sh), which installs it");
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        // Its output is read and dropped, so a chatty server never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow + ListenWithin;
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var probe = new TcpClient("127.0.0.1", port);
                return process;
            }
            catch (SocketException)
            {
                Thread.Sleep(20);
            }
        }
        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException($"redis-server {string.Join(' ', start.ArgumentList)} did not listen on {port}");
    }
}
