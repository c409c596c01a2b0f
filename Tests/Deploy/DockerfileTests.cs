using System.Text.Json.Nodes;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Deploy;

/// <summary>How each image is built: restore, publish, entrypoint, build context, the browser client.</summary>
public sealed class DockerfileTests
{
    [Theory]
    [InlineData("silo")]
    [InlineData("gateway")]
    public void The_entrypoint_runs_the_assembly_of_the_project_the_image_restores_and_publishes(string name)
    {
        var program = DeployedProgram.Named(name);
        var dockerfile = program.Dockerfile;

        Assert.Equal(program.Project, dockerfile.RestoredProject);
        Assert.Equal(program.Project, dockerfile.PublishedProject);
        Assert.Equal(ProjectFiles.AssemblyName(program.Project), dockerfile.EntrypointAssembly);
    }

    [Theory]
    [InlineData("silo")]
    [InlineData("gateway")]
    public void The_restore_layer_holds_the_central_package_versions_and_every_referenced_project(string name)
    {
        var program = DeployedProgram.Named(name);
        var dockerfile = program.Dockerfile;
        var beforeRestore = dockerfile.CopiedBefore(dockerfile.Run("dotnet restore "));
        var beforePublish = dockerfile.CopiedBefore(dockerfile.Run("dotnet publish "));

        Assert.Contains("Directory.Build.props", beforeRestore);
        Assert.Contains("Directory.Packages.props", beforeRestore);
        foreach (var project in ProjectFiles.WithReferences(program.Project))
        {
            Assert.Contains(project, beforeRestore);
            Assert.Contains(Path.GetDirectoryName(project) + "/", beforePublish);
        }
    }

    [Theory]
    [InlineData("silo")]
    [InlineData("gateway")]
    public void The_build_context_leaves_out_host_build_output_and_node_modules(string name)
    {
        var ignored = File.ReadAllLines(DeployFolder.PathOf(DeployedProgram.Named(name).DockerfileName + ".dockerignore")).Select(l => l.Trim()).ToList();

        Assert.Contains("**/bin", ignored);
        Assert.Contains("**/obj", ignored);
        Assert.Contains("**/node_modules", ignored);
    }

    [Fact]
    public void The_gateway_image_builds_the_browser_client_into_wwwroot_before_publishing()
    {
        var dockerfile = DeployedProgram.Gateway.Dockerfile;
        var install = dockerfile.Run("npm ci");
        var build = dockerfile.Run("npm run build");
        var publish = dockerfile.Run("dotnet publish ");
        var clientStage = dockerfile.All("FROM").Single(f => f.Stage == build.Stage).Arguments.Split(' ');
        var copy = dockerfile.All("COPY").Single(c => c.Arguments.StartsWith("--from=", StringComparison.Ordinal) && c.Arguments.Contains("wwwroot", StringComparison.Ordinal));

        Assert.Equal(install.Stage, build.Stage);
        Assert.StartsWith("node:", clientStage[0], StringComparison.Ordinal);
        Assert.Equal($"--from={clientStage[^1]}", copy.Arguments.Split(' ')[0]);
        Assert.EndsWith("Gateway/wwwroot/", copy.Arguments, StringComparison.Ordinal);
        Assert.Equal(publish.Stage, copy.Stage);
        Assert.True(IndexOf(dockerfile, copy) < IndexOf(dockerfile, publish), "wwwroot is copied in before dotnet publish");

        // The client's own build is what the node stage runs, and it writes where the copy takes from.
        var client = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "Client", "package.json")))!;
        Assert.NotNull(client["scripts"]?["build"]);
        Assert.Contains("../Gateway/wwwroot/", File.ReadAllText(Path.Combine(RepositoryPaths.Root, "Client", "build.mjs")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("silo")]
    [InlineData("gateway")]
    public void The_shipped_program_comes_from_the_sdk_build_unless_a_prebuilt_publish_is_asked_for(string name)
    {
        var dockerfile = DeployedProgram.Named(name).Dockerfile;
        var stages = dockerfile.StageNames;
        var app = dockerfile.All("FROM").Single(f => stages.GetValueOrDefault(f.Stage) == "app");
        var publish = dockerfile.Run("dotnet publish ");
        var prebuilt = dockerfile.All("COPY").Single(c => stages.GetValueOrDefault(c.Stage) == "prebuilt");

        // By default the program is compiled in the image's own SDK stage, as every real deployment builds it.
        Assert.Equal(stages[publish.Stage], dockerfile.Expand(app.Arguments.Split(' ')[0]));
        Assert.Equal("prebuilt", dockerfile.Expand(app.Arguments.Split(' ')[0], new Dictionary<string, string> { ["APP_STAGE"] = "prebuilt" }));
        Assert.Equal($"artifacts/containers/{name}/ /app/", prebuilt.Arguments);
        Assert.Contains("--from=app /app ./", dockerfile.InFinalStage("COPY").Select(c => c.Arguments));
        // The build context keeps that folder (and no other build output) for the prebuilt stage.
        var ignored = File.ReadAllLines(DeployFolder.PathOf(DeployedProgram.Named(name).DockerfileName + ".dockerignore")).Select(l => l.Trim()).ToList();
        Assert.True(ignored.IndexOf("artifacts") < ignored.IndexOf($"!artifacts/containers/{name}"), "the context re-includes the prebuilt program after leaving out artifacts");
        // The prebuilt publish is the one the SDK stage runs: the same configuration, no apphost.
        Assert.Contains("-c Release", publish.Arguments, StringComparison.Ordinal);
        Assert.Contains("-p:UseAppHost=false", publish.Arguments, StringComparison.Ordinal);
    }

    private static int IndexOf(Dockerfile dockerfile, DockerInstruction instruction) =>
        dockerfile.Instructions.ToList().IndexOf(instruction);
}
