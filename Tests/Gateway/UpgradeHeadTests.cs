using System.Buffers;
using System.Text;
using Realtime.Gateway.WebSockets;

namespace Realtime.Tests.Gateway;

/// <summary>
/// Which first bytes of a connection the gateway serves as a WebSocket handshake itself: a browser's and a program's,
/// and nothing it might read differently from Kestrel, which answers the rest.
/// </summary>
public sealed class UpgradeHeadTests
{
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";

    // What Chromium sends for `new WebSocket("ws://127.0.0.1:8080/ws?x=1", "rt.compact")`.
    private static readonly string[] Browser =
    [
        "GET /ws?x=1 HTTP/1.1",
        "Host: 127.0.0.1:8080",
        "Connection: Upgrade",
        "Pragma: no-cache",
        "Cache-Control: no-cache",
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Upgrade: websocket",
        "Origin: http://127.0.0.1:8080",
        "Sec-WebSocket-Version: 13",
        "Accept-Encoding: gzip, deflate, br, zstd",
        "Accept-Language: en-US,en;q=0.9",
        "Cookie: csrftoken=abc; sessionid=s3ss10n",
        $"Sec-WebSocket-Key: {Key}",
        "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits",
        "Sec-WebSocket-Protocol: rt.compact",
    ];

    [Fact]
    public void A_browser_handshake_is_read_with_what_admission_needs()
    {
        var head = Parse(Browser);

        Assert.NotNull(head);
        Assert.Equal("?x=1", head.Query);
        Assert.Equal("127.0.0.1:8080", head.Host);
        Assert.Equal("http://127.0.0.1:8080", head.Origin);
        Assert.Equal("csrftoken=abc; sessionid=s3ss10n", head.Cookie);
        Assert.Equal(Key, head.Key);
        Assert.Equal(["rt.compact"], head.Protocols);
        Assert.True(head.OffersDeflate);
        Assert.Null(head.ForwardedProto);
    }

    [Fact]
    public void The_head_ends_at_the_blank_line_and_what_follows_is_left_for_the_websocket()
    {
        var text = string.Join("\r\n", Browser) + "\r\n\r\n";
        var bytes = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text + "\x81"));

        Assert.NotNull(UpgradeHead.TryParse(bytes, out var end));
        Assert.Equal(text.Length, bytes.Slice(0, end).Length);
    }

    [Fact]
    public void A_head_split_over_buffer_segments_is_read_like_one()
    {
        var bytes = Encoding.ASCII.GetBytes(string.Join("\r\n", Browser) + "\r\n\r\n");
        var first = new Segment(bytes.AsMemory(0, 100));
        var last = first.Append(bytes.AsMemory(100));

        Assert.NotNull(UpgradeHead.TryParse(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length), out _));
    }

    [Fact]
    public void Repeated_cookie_and_protocol_headers_are_joined_as_kestrel_joins_them()
    {
        var head = Parse([.. Browser, "Cookie: theme=dark", "Sec-WebSocket-Protocol: v2, v3", "X-Forwarded-Proto: https"]);

        Assert.Equal("csrftoken=abc; sessionid=s3ss10n; theme=dark", head?.Cookie);
        Assert.Equal(["rt.compact", "v2", "v3"], head?.Protocols);
        Assert.Equal("https", head?.ForwardedProto);
    }

    public static TheoryData<string, string[]> LeftToKestrel => new()
    {
        { "another path", Replace("GET /ws?x=1 HTTP/1.1", "GET /ws2 HTTP/1.1") },
        { "a path under /ws", Replace("GET /ws?x=1 HTTP/1.1", "GET /ws/session HTTP/1.1") },
        { "another method", Replace("GET /ws?x=1 HTTP/1.1", "POST /ws HTTP/1.1") },
        { "HTTP/1.0", Replace("GET /ws?x=1 HTTP/1.1", "GET /ws HTTP/1.0") },
        { "an absolute target", Replace("GET /ws?x=1 HTTP/1.1", "GET http://127.0.0.1:8080/ws HTTP/1.1") },
        { "no Host", Without("Host") },
        { "no Upgrade", Without("Upgrade") },
        { "Upgrade to something else", Replace("Upgrade: websocket", "Upgrade: h2c") },
        { "no Connection: Upgrade", Replace("Connection: Upgrade", "Connection: keep-alive") },
        { "another version", Replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8") },
        { "no key", Without("Sec-WebSocket-Key") },
        { "a key of the wrong length", Replace($"Sec-WebSocket-Key: {Key}", "Sec-WebSocket-Key: AAAA") },
        { "two Hosts", [.. Browser, "Host: evil.example"] },
        { "two Origins", [.. Browser, "Origin: http://evil.example"] },
        { "a body", [.. Browser, "Content-Length: 5"] },
        { "a chunked body", [.. Browser, "Transfer-Encoding: chunked"] },
        { "a folded header", [.. Browser, " continued"] },
        { "a header without a colon", [.. Browser, "Broken"] },
        { "a bad header name", [.. Browser, "Bad Name: x"] },
        { "non-ASCII", [.. Browser, "X-Name: caf\u00e9"] },
        { "a control character", [.. Browser, "X-Name: a\u0001b"] },
        { "a head longer than 8 KiB", [.. Browser, "Cookie: big=" + new string('a', UpgradeHead.MaxBytes)] },
    };

    [Theory]
    [MemberData(nameof(LeftToKestrel))]
    public void Anything_else_is_left_to_kestrel(string what, string[] lines)
    {
        Assert.True(Parse(lines) is null, $"{what} was served by the gateway itself");
    }

    [Fact]
    public void A_head_not_complete_in_the_first_bytes_is_left_to_kestrel()
    {
        var bytes = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(string.Join("\r\n", Browser) + "\r\n"));

        Assert.Null(UpgradeHead.TryParse(bytes, out var end));
        Assert.Equal(0, bytes.Slice(0, end).Length);
    }

    private static UpgradeHead? Parse(string[] lines) =>
        UpgradeHead.TryParse(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(string.Join("\r\n", lines) + "\r\n\r\n")), out _);

    private static string[] Replace(string line, string with) => Browser.Select(l => l == line ? with : l).ToArray();

    private static string[] Without(string name) => Browser.Where(l => !l.StartsWith(name + ":", StringComparison.Ordinal)).ToArray();

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
