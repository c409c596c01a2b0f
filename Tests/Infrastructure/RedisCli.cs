using System.Diagnostics;

namespace Realtime.Tests.Infrastructure;

/// <summary>Runs the real <c>redis-cli</c>, as an operator or a backend script would.</summary>
public static class RedisCli
{
    public static async Task<string> Run(RedisServer redis, params string[] args)
    {
        var start = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-p");
        start.ArgumentList.Add(redis.Port.ToString());
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"redis-cli {string.Join(' ', args)} failed: {await process.StandardError.ReadToEndAsync()}");
        return output.Trim();
    }
}
