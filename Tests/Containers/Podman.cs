using System.Diagnostics;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Containers;

/// <summary>
/// The podman command line with the project's settings for this kind of machine (scripts/lib/containers.conf), and
/// the local images scripts/test.sh builds where no image registry is reachable (scripts/lib/containers.sh).
/// </summary>
public static class Podman
{
    /// <summary>Set by scripts/test.sh once the local aspnet, redis and nginx images exist: their tag.</summary>
    public const string TagVariable = "REALTIME_CONTAINER_TAG";

    public const string TestRepository = "localhost/realtime-orleans-test";

    private static readonly Lazy<string?> Missing = new(FindWhatIsMissing);

    /// <summary>Why the container tests cannot run here, or null when they can.</summary>
    public static string? WhyNotAvailable => Missing.Value;

    public static string Tag => Environment.GetEnvironmentVariable(TagVariable) ?? "";

    /// <summary>The local stand-in for a registry image: <c>aspnet</c>, <c>redis</c> or <c>nginx</c>.</summary>
    public static string LocalImage(string name) => $"{TestRepository}/{name}:{Tag}";

    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public Result ThrowIfFailed(string what) =>
            ExitCode == 0 ? this : throw new InvalidOperationException($"{what} failed ({ExitCode}): {Error.Trim()} {Output.Trim()}".Trim());
    }

    /// <summary>Runs <c>podman</c> with these arguments and waits for it, at most <paramref name="timeout"/> (2 minutes by default).</summary>
    public static async Task<Result> Run(IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("podman")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["CONTAINERS_CONF"] = Path.Combine(RepositoryPaths.Root, "scripts", "lib", "containers.conf");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromMinutes(2));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"podman {string.Join(' ', start.ArgumentList)} still ran after {timeout ?? TimeSpan.FromMinutes(2)}");
        }
        return new Result(process.ExitCode, await output, await error);
    }

    public static Task<Result> Run(params string[] arguments) => Run((IEnumerable<string>)arguments);

    /// <summary>Runs podman and returns its trimmed standard output, throwing when it fails.</summary>
    public static async Task<string> Output(params string[] arguments) =>
        (await Run(arguments)).ThrowIfFailed($"podman {string.Join(' ', arguments)}").Output.Trim();

    /// <summary>Runs the container's HEALTHCHECK once (podman schedules health checks only through systemd, absent here).</summary>
    public static async Task<bool> Healthy(string container) => (await Run("healthcheck", "run", container)).ExitCode == 0;

    private static string? FindWhatIsMissing()
    {
        if (!File.Exists("/usr/bin/podman") && !File.Exists("/usr/local/bin/podman"))
        {
            return "podman is not installed (scripts/test.sh installs it from Debian's packages)";
        }
        if (Tag.Length == 0)
        {
            return $"{TagVariable} is not set: scripts/test.sh builds the local base images and sets it";
        }
        foreach (var name in new[] { "aspnet", "redis", "nginx" })
        {
            if (Run("image", "exists", LocalImage(name)).GetAwaiter().GetResult().ExitCode != 0)
            {
                return $"the local image {LocalImage(name)} is missing: scripts/test.sh builds it";
            }
        }
        return null;
    }
}
