using System.Diagnostics;
using System.Text;
using Realtime.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Realtime.Tests.Deploy;

/// <summary>
/// deploy/k8s as kubectl applies it: rendered by kustomize (<c>kubectl kustomize</c>), it must be exactly the manifests
/// the other Kubernetes tests check against the programs, with only the images the kustomization points elsewhere.
/// Skipped, saying so, where neither kubectl nor kustomize is installed (scripts/test.sh installs Debian's kubectl).
/// </summary>
public sealed class KustomizeRenderTests
{
    [KustomizeFact]
    public async Task The_kustomize_rendering_is_the_manifests_with_the_kustomization_images_and_nothing_else()
    {
        var rendered = await Render();
        var images = DeployFolder.LoadYaml(Path.Combine("k8s", "kustomization.yaml")).Single().Get("images").Items()
            .ToDictionary(i => i.Get("name").Text()!, i => $"{i.Get("newName").Text() ?? i.Get("name").Text()}:{i.Get("newTag").Text()}");
        var files = KubernetesObject.All();

        Assert.Equal(files.Select(o => $"{o.Kind}/{o.Name}").Order(), rendered.Select(o => $"{o.Get("kind").Text()}/{o.Get("metadata").Get("name").Text()}").Order());
        foreach (var file in files)
        {
            var output = rendered.Single(o => o.Get("kind").Text() == file.Kind && o.Get("metadata").Get("name").Text() == file.Name);
            Assert.Equal(Canonical(file.Node, images), Canonical(output, images: null));
        }
        // Every image of the programs was pointed where the kustomization says.
        var renderedImages = rendered.SelectMany(o => o.Get("spec").Get("template").Get("spec").Get("containers").Items()).Select(c => c.Get("image").Text()!).ToList();
        foreach (var program in DeployedProgram.All)
        {
            Assert.Contains(images[program.Image], renderedImages);
        }
    }

    /// <summary>Runs kustomize on deploy/k8s (kubectl's built-in one, or the standalone binary).</summary>
    private static async Task<IReadOnlyList<YamlNode>> Render()
    {
        var (program, arguments) = KustomizeFactAttribute.Kubectl is { } kubectl ? (kubectl, new[] { "kustomize", "deploy/k8s" }) : (KustomizeFactAttribute.Kustomize!, new[] { "build", "deploy/k8s" });
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryPaths.Root };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed: {await error}");
        var stream = new YamlStream();
        stream.Load(new StringReader(await output));
        return stream.Documents.Select(d => d.RootNode).ToList();
    }

    /// <summary>A node as text with mapping keys sorted (kustomize sorts them); images replaced as the kustomization says.</summary>
    private static string Canonical(YamlNode node, IReadOnlyDictionary<string, string>? images)
    {
        var text = new StringBuilder();
        Write(node, images, text, key: null);
        return text.ToString();
    }

    private static void Write(YamlNode node, IReadOnlyDictionary<string, string>? images, StringBuilder text, string? key)
    {
        switch (node)
        {
            case YamlMappingNode map:
                text.Append('{');
                foreach (var (k, v) in map.Children.Select(c => (((YamlScalarNode)c.Key).Value!, c.Value)).OrderBy(c => c.Item1, StringComparer.Ordinal))
                {
                    text.Append(k).Append(':');
                    Write(v, images, text, k);
                    text.Append(',');
                }
                text.Append('}');
                break;
            case YamlSequenceNode sequence:
                text.Append('[');
                foreach (var item in sequence.Children)
                {
                    Write(item, images, text, key: null);
                    text.Append(',');
                }
                text.Append(']');
                break;
            case YamlScalarNode scalar:
                var value = scalar.Value ?? "";
                text.Append('"').Append(key == "image" && images?.GetValueOrDefault(value) is { } image ? image : value).Append('"');
                break;
        }
    }
}
