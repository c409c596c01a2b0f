using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Backends;

/// <summary>The backend example docs/protocol.md shows is the program the round-trip test runs, to the byte.</summary>
public sealed class BackendExampleDocsTests
{
    [Fact]
    public void The_protocol_shows_the_example_backend_as_it_is()
    {
        var protocol = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "protocol.md"));
        var example = File.ReadAllText(BackendProcess.Script);

        Assert.Contains("```python\n" + example + "```", protocol);
    }
}
