using System.Diagnostics;
using System.Text;

namespace Realtime.Tests.Infrastructure;

/// <summary>
/// Every command a Redis server receives, as <c>redis-cli monitor</c> prints it: proves what the product did not ask.
/// A marker command sent after the action tells when everything before it has been seen, so no sleep is needed.
/// </summary>
public sealed class RedisMonitor : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _seen = new();

    private RedisMonitor(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_seen)
                {
                    _seen.AppendLine(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
    }

    public string Seen
    {
        get
        {
            lock (_seen)
            {
                return _seen.ToString();
            }
        }
    }

    public static async Task<RedisMonitor> Start(RedisServer redis)
    {
        var start = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-p", redis.Port.ToString(), "monitor" })
        {
            start.ArgumentList.Add(argument);
        }
        var monitor = new RedisMonitor(Process.Start(start) ?? throw new InvalidOperationException("redis-cli did not start"));
        await monitor.Sync(redis);
        return monitor;
    }

    /// <summary>Waits until the monitor has printed everything Redis received before this call.</summary>
    public async Task Sync(RedisServer redis)
    {
        var marker = "monitor-marker-" + Guid.NewGuid().ToString("N");
        await Eventually.True(async () =>
        {
            await redis.Database.StringGetAsync(marker);
            return Seen.Contains(marker, StringComparison.Ordinal);
        }, "redis-cli monitor shows the marker command");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
