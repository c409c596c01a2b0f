using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Realtime.Gateway;
using Realtime.Hosting;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Deploy;

/// <summary>
/// How long each program takes at most to shut down (its <see cref="ShutdownDeadline.Limit"/>, after which it exits
/// whatever still runs): what a container's stop grace period must outlast.
/// </summary>
public static partial class ShutdownTimeouts
{
    /// <summary>Read from the gateway as its program builds it (built, not started: nothing connects).</summary>
    public static async Task<TimeSpan> Gateway()
    {
        var app = GatewayApplication.Build([]);
        await using (app)
        {
            return app.Services.GetRequiredService<ShutdownDeadline>().Limit;
        }
    }

    /// <summary>Read from Silo/Program.cs: the silo's top-level program cannot be built from a test.</summary>
    public static TimeSpan Silo()
    {
        var program = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "Silo", "Program.cs"));
        var match = SiloTimeout().Match(program);
        Assert.True(match.Success, "Silo/Program.cs no longer sets Limit: TimeSpan.FromSeconds(n); teach this test where it went");
        return TimeSpan.FromSeconds(int.Parse(match.Groups[1].Value));
    }

    /// <summary>A compose duration: "45s", "1m30s", "2m".</summary>
    public static TimeSpan ParseComposeDuration(string text)
    {
        var parts = DurationPart().Matches(text);
        Assert.True(parts.Count > 0 && string.Concat(parts.Select(p => p.Value)) == text, $"'{text}' is not a compose duration");
        return parts.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.Groups[2].Value switch
        {
            "h" => TimeSpan.FromHours(int.Parse(p.Groups[1].Value)),
            "m" => TimeSpan.FromMinutes(int.Parse(p.Groups[1].Value)),
            "s" => TimeSpan.FromSeconds(int.Parse(p.Groups[1].Value)),
            _ => TimeSpan.FromMilliseconds(int.Parse(p.Groups[1].Value)),
        });
    }

    [GeneratedRegex(@"Limit:\s*TimeSpan\.FromSeconds\((\d+)\)")]
    private static partial Regex SiloTimeout();

    [GeneratedRegex(@"(\d+)(ms|h|m|s)")]
    private static partial Regex DurationPart();
}
