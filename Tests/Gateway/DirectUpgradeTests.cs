using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Gateway;

/// <summary>
/// <c>Gateway:DirectUpgrade</c> over real sockets: the gateway answers a plain handshake itself (101 with the right
/// accept key, then frames; the same refusals as through Kestrel), and every handshake it leaves to Kestrel still
/// connects, counted by <c>realtime_gateway_upgrades_total{via}</c>.
/// </summary>
public sealed class DirectUpgradeTests : IAsyncLifetime
{
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";

    private readonly RealtimeCluster _cluster = new(RedisServer.Shared);
    private readonly HttpClient _http = new(new HttpClientHandler { UseCookies = false });
    private WebApplication _gateway = null!;

    public async Task InitializeAsync()
    {
        await _cluster.StartSilo();
        _gateway = await _cluster.StartGateway();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task A_browser_handshake_is_answered_by_the_gateway_and_the_websocket_carries_frames()
    {
        var session = await DjangoSessions.StoreLogin(_cluster.Redis, "direct-user");
        var before = await Upgrades();
        using var tcp = await Open(_gateway);
        var stream = tcp.GetStream();

        var response = await Send(stream, Handshake(_gateway, $"Cookie: csrftoken=x; sessionid={session}", $"Origin: {Own(_gateway)}"));

        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", response);
        Assert.Contains($"\r\nSec-WebSocket-Accept: {Accept(Key)}\r\n", response);
        Assert.DoesNotContain("Sec-WebSocket-Protocol", response);
        using var welcome = JsonDocument.Parse(await ReadTextFrame(stream));
        Assert.Equal("welcome", welcome.RootElement.GetProperty("type").GetString());
        Assert.Equal("direct-user", welcome.RootElement.GetProperty("data").GetProperty("userId").GetString());
        await CountedAs(before, direct: 1, http: 0);
    }

    [Fact]
    public async Task Refusals_are_the_same_text_and_status_as_through_kestrel_and_the_connection_is_closed()
    {
        var session = await DjangoSessions.StoreLogin(_cluster.Redis, "refused-user");
        var cases = new (string[] Headers, string Status, string Body)[]
        {
            ([$"Cookie: sessionid={session}", "Origin: http://evil.example"], "403 Forbidden", "This page's origin may not connect here (Gateway:AllowedOrigins)."),
            (["Cookie: sessionid=nosuchsession1234567890abcdefghi"], "401 Unauthorized", "Login refused: unknown or expired session"),
            ([], "401 Unauthorized", "Login refused: no session id (cookie or query parameter)"),
        };
        foreach (var (headers, status, body) in cases)
        {
            using var tcp = await Open(_gateway);
            var stream = tcp.GetStream();

            var response = await Send(stream, Handshake(_gateway, headers));
            var rest = await ReadToEnd(stream);

            Assert.StartsWith($"HTTP/1.1 {status}\r\n", response);
            Assert.Contains($"\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n", response);
            Assert.Contains("\r\nConnection: close\r\n", response);
            Assert.Equal(body, rest);
        }
    }

    [Fact]
    public async Task An_upgrade_after_a_request_on_the_same_connection_goes_through_kestrel_and_connects()
    {
        var session = await DjangoSessions.StoreLogin(_cluster.Redis, "second-request");
        var before = await Upgrades();
        using var tcp = await Open(_gateway);
        var stream = tcp.GetStream();

        var health = await Send(stream, $"GET /healthz HTTP/1.1\r\nHost: {Host(_gateway)}\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200", health);
        Assert.Equal("ok", Encoding.ASCII.GetString(await ReadExactly(stream, 2)));
        var response = await Send(stream, Handshake(_gateway, $"Cookie: sessionid={session}"));

        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", response);
        Assert.Contains($"Sec-WebSocket-Accept: {Accept(Key)}", response);
        using var welcome = JsonDocument.Parse(await ReadTextFrame(stream));
        Assert.Equal("second-request", welcome.RootElement.GetProperty("data").GetProperty("userId").GetString());
        await CountedAs(before, direct: 0, http: 1);
    }

    [Fact]
    public async Task With_direct_upgrade_off_every_handshake_goes_through_kestrel()
    {
        var gateway = await _cluster.StartGateway(new Dictionary<string, string?> { ["Gateway:DirectUpgrade"] = "false" });
        var session = await DjangoSessions.StoreLogin(_cluster.Redis, "through-kestrel");
        var before = await Upgrades();

        await using (var socket = await TestSocket.Connect(RealtimeCluster.WebSocketUri(gateway, session)))
        {
            await socket.Next("welcome");
        }

        await CountedAs(before, direct: 0, http: 1);
    }

    /// <summary>Waits for the counts to move by exactly this much from <paramref name="before"/> (a scrape is cached briefly).</summary>
    private async Task CountedAs((long Direct, long Http) before, int direct, int http)
    {
        var expected = (before.Direct + direct, before.Http + http);
        var seen = before;
        await Eventually.True(async () => (seen = await Upgrades()) == expected, $"upgrades counted as direct +{direct}, http +{http}");
        Assert.Equal(expected, seen);
    }

    /// <summary>Accepted upgrades by way, summed over this test process's gateways (they share the meter's name).</summary>
    private async Task<(long Direct, long Http)> Upgrades()
    {
        var text = await _http.GetStringAsync(RealtimeCluster.HttpUri(_gateway, "/metrics"));
        long Count(string via) => Regex.Matches(text, $@"^realtime_gateway_upgrades_total\{{[^}}]*via=""{via}""[^}}]*\}} (\d+)", RegexOptions.Multiline)
            .Sum(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        return (Count("direct"), Count("http"));
    }

    private static string Host(WebApplication gateway) => RealtimeCluster.HttpUri(gateway, "/").Authority;

    private static string Own(WebApplication gateway) => $"http://{Host(gateway)}";

    private static string Handshake(WebApplication gateway, params string[] headers) =>
        $"GET /ws HTTP/1.1\r\nHost: {Host(gateway)}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
        + $"Sec-WebSocket-Key: {Key}\r\n" + string.Concat(headers.Select(h => h + "\r\n")) + "\r\n";

    private static string Accept(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));

    private static async Task<TcpClient> Open(WebApplication gateway)
    {
        var uri = RealtimeCluster.HttpUri(gateway, "/");
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(uri.Host, uri.Port);
        tcp.GetStream().ReadTimeout = 20_000;
        return tcp;
    }

    /// <summary>Writes <paramref name="request"/> and reads the response's head, up to and with its blank line.</summary>
    private static async Task<string> Send(NetworkStream stream, string request)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var head = new StringBuilder();
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            head.Append((char)(await ReadExactly(stream, 1))[0]);
        }
        return head.ToString();
    }

    /// <summary>One unmasked text frame from the server (RFC 6455 5.2), as text.</summary>
    private static async Task<string> ReadTextFrame(NetworkStream stream)
    {
        var start = await ReadExactly(stream, 2);
        Assert.Equal(0x81, start[0]);
        long length = start[1];
        if (length == 126)
        {
            var extended = await ReadExactly(stream, 2);
            length = (extended[0] << 8) | extended[1];
        }
        return Encoding.UTF8.GetString(await ReadExactly(stream, (int)length));
    }

    private static async Task<byte[]> ReadExactly(NetworkStream stream, int count)
    {
        var buffer = new byte[count];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await stream.ReadExactlyAsync(buffer, timeout.Token);
        return buffer;
    }

    private static async Task<string> ReadToEnd(NetworkStream stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var rest = new MemoryStream();
        await stream.CopyToAsync(rest, timeout.Token);
        return Encoding.UTF8.GetString(rest.ToArray());
    }
}
