using Xunit.Abstractions;

namespace Realtime.Tests.Browser;

/// <summary>
/// The browser client's own tests (<c>Client/test/*.test.mjs</c>): RTClient and MyCharts in headless Chromium
/// against a fake gateway that produces on demand what the cluster does only under load or failure.
/// </summary>
public sealed class ClientLibraryTests(ITestOutputHelper output)
{
    public static TheoryData<string> TestFiles() =>
        new(Directory.GetFiles(Path.Combine(NodeProgram.ClientFolder, "test"), "*.test.mjs").Select(f => Path.GetFileName(f)).Order());

    [Theory]
    [MemberData(nameof(TestFiles))]
    public async Task The_browser_client_passes_its_tests_in_chromium(string file)
    {
        await using var node = NodeProgram.Start("--test", "--test-reporter=spec", Path.Combine("test", file));

        var exitCode = await node.Exit(TimeSpan.FromMinutes(3));

        output.WriteLine(node.Transcript);
        Assert.True(exitCode == 0, $"node --test {file} exited with {exitCode}:\n{node.Transcript}");
    }

    [Fact]
    public async Task The_client_sources_agree_with_their_JSDoc_types()
    {
        await using var tsc = NodeProgram.Start("node_modules/typescript/bin/tsc", "-p", ".");

        var exitCode = await tsc.Exit(TimeSpan.FromMinutes(2));

        Assert.True(exitCode == 0, $"tsc -p Client found type errors:\n{tsc.Transcript}");
    }
}
