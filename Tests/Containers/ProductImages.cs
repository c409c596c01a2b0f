using System.Diagnostics;
using Realtime.Tests.Deploy;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Containers;

/// <summary>
/// The silo and gateway images, built once per test run with <c>podman build</c> from deploy/'s Dockerfiles, with
/// the two build arguments a host without an image registry needs: the local aspnet stand-in as RUNTIME_IMAGE, and
/// the programs published on this machine (the same `dotnet publish` the SDK stage runs) as APP_STAGE=prebuilt.
/// </summary>
public static class ProductImages
{
    private static readonly Lazy<Task<TimeSpan>> Built = new(BuildBoth);

    /// <summary>The image each program's compose service runs (<c>image:</c> in docker-compose.yml).</summary>
    public static string Of(DeployedProgram program) =>
        DeployedEnvironment.ComposeServices().Single(s => s.Program == program).Node.Get("image").Text()!;

    /// <summary>Builds both images the first time it is asked, and returns how long that took.</summary>
    public static Task<TimeSpan> Build() => Built.Value;

    private static async Task<TimeSpan> BuildBoth()
    {
        var clock = Stopwatch.StartNew();
        foreach (var program in DeployedProgram.All)
        {
            var output = Path.Combine(RepositoryPaths.Root, "artifacts", "containers", program.Name);
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
            // What the Dockerfile's SDK stage runs, from the build scripts/test.sh made (Release, with the client's files).
            await DotnetPublish(program.Project, output);
            var previous = (await Podman.Run("image", "inspect", "--format", "{{.Id}}", Of(program))).Output.Trim();
            var build = await Podman.Run(
            [
                "build", "--format", "docker",
                "--file", $"deploy/{program.DockerfileName}",
                "--ignorefile", $"deploy/{program.DockerfileName}.dockerignore",
                "--build-arg", $"RUNTIME_IMAGE={Podman.LocalImage("aspnet")}",
                "--build-arg", "APP_STAGE=prebuilt",
                "--tag", Of(program),
                ".",
            ], TimeSpan.FromMinutes(10));
            build.ThrowIfFailed($"podman build of {program.DockerfileName}");
            // The image of the previous run, untagged now: left alone, every run would keep another copy of the program.
            if (previous.Length > 0 && previous != (await Podman.Output("image", "inspect", "--format", "{{.Id}}", Of(program))))
            {
                await Podman.Run("rmi", previous);
            }
        }
        // The stages of the previous runs' builds, untagged and unused now (about 40 MB a run). (--layers=false
        // would leave none, but podman 4.3 then fails the build removing the "app" stage, the same image as "prebuilt".)
        await Podman.Run("image", "prune", "--force");
        return clock.Elapsed;
    }

    private static async Task DotnetPublish(string project, string output)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "publish", project, "-c", "Release", "--no-build", "-nologo", "-o", output, "-p:UseAppHost=false" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        using var process = Process.Start(start)!;
        var log = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        Assert.True(process.ExitCode == 0, $"dotnet publish {project} failed: {await log} {await errors}");
    }
}
