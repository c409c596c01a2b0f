using Realtime.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Realtime.Tests.Browser;

/// <summary>
/// Cross-site WebSocket hijacking tried in headless Chromium (<c>Client/e2e/origin.e2e.mjs</c>): a page from another
/// origin of the same site, whose upgrades carry the user's cookie, cannot open <c>/ws</c>; the same page can where
/// <c>Gateway:AllowedOrigins</c> lists it, and the demo page on the gateway's own origin always can.
/// </summary>
public sealed class OriginPageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private readonly RealtimeCluster _cluster = new(RedisServer.Shared);

    public async Task InitializeAsync() => await _cluster.StartSilo();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_page_of_another_origin_cannot_use_the_users_cookie_and_the_demo_page_can()
    {
        var foreignPort = FreePort.Next();
        var gateway = await _cluster.StartGateway();
        var permissive = await _cluster.StartGateway(new Dictionary<string, string?> { ["Gateway:AllowedOrigins:0"] = $"http://127.0.0.1:{foreignPort}" });
        var session = await DjangoSessions.Store(_cluster.Redis, "signed-small");

        await using var browser = NodeProgram.Start("e2e/origin.e2e.mjs", Origin(gateway), Origin(permissive), session, foreignPort.ToString());
        try
        {
            await browser.Next("DONE", Timeout);
            Assert.Equal(0, await browser.Exit(Timeout));
        }
        finally
        {
            output.WriteLine(browser.Transcript);
        }
    }

    private static string Origin(Microsoft.AspNetCore.Builder.WebApplication gateway) =>
        RealtimeCluster.HttpUri(gateway, "/").GetLeftPart(UriPartial.Authority);
}
