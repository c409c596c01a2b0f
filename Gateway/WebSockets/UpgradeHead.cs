using System.Buffers;
using System.Text;

namespace Realtime.Gateway.WebSockets;

/// <summary>
/// The head of a plain WebSocket handshake to <c>/ws</c> (RFC 6455 4.1), parsed from the first bytes of a connection.
/// Only what <see cref="DirectUpgrade"/> can serve exactly as Kestrel would parses: <c>GET /ws</c> over HTTP/1.1,
/// complete in the bytes at hand, ASCII, well-formed, with a valid key, version 13, no body and no header that
/// matters given twice. Anything else is null and goes to Kestrel, whose answer (a 400, a redirect, its own limits)
/// stays the gateway's.
/// </summary>
internal sealed record UpgradeHead(
    string? Query,
    string Host,
    string? Origin,
    string? Cookie,
    string? ForwardedProto,
    string Key,
    IReadOnlyList<string> Protocols,
    bool OffersDeflate)
{
    /// <summary>
    /// Larger heads (long cookies) go to Kestrel, which has the limits and error answers for them; a browser's
    /// handshake is well under this.
    /// </summary>
    public const int MaxBytes = 8 * 1024;

    private const string Version = "13";
    private static ReadOnlySpan<byte> EndOfHead => "\r\n\r\n"u8;
    private static ReadOnlySpan<byte> RequestLineStart => "GET /ws"u8;

    /// <summary>
    /// The handshake at the start of <paramref name="bytes"/>, and where it ends; null when the bytes are not one
    /// this class serves (or not all of it yet).
    /// </summary>
    public static UpgradeHead? TryParse(ReadOnlySequence<byte> bytes, out SequencePosition end)
    {
        end = bytes.Start;
        var window = bytes.Length > MaxBytes ? bytes.Slice(0, MaxBytes) : bytes;
        // A head usually arrives in one segment; one spanning two is copied (once per connection, a few hundred bytes).
        var span = window.IsSingleSegment ? window.FirstSpan : window.ToArray();
        if (!span.StartsWith(RequestLineStart))
        {
            return null;
        }
        var length = span.IndexOf(EndOfHead);
        if (length < 0)
        {
            return null;
        }
        var head = Parse(span[..length]);
        if (head is not null)
        {
            end = bytes.GetPosition(length + EndOfHead.Length);
        }
        return head;
    }

    private static UpgradeHead? Parse(ReadOnlySpan<byte> head)
    {
        foreach (var b in head)
        {
            // Kestrel refuses control characters and, by default, non-ASCII in a head: leave those to it.
            if (b >= 0x7F || (b < 0x20 && b is not (byte)'\r' and not (byte)'\n' and not (byte)'\t'))
            {
                return null;
            }
        }
        var lines = Encoding.ASCII.GetString(head).Split("\r\n");
        if (ParseRequestLine(lines[0]) is not { } target)
        {
            return null;
        }
        var headers = new Headers();
        for (var i = 1; i < lines.Length; i++)
        {
            if (!headers.Add(lines[i]))
            {
                return null;
            }
        }
        return headers.ToHead(target);
    }

    /// <summary>The query string (with its '?', or null) of <c>GET /ws[?query] HTTP/1.1</c>; otherwise null.</summary>
    private static string? ParseRequestLine(string line)
    {
        var parts = line.Split(' ');
        if (parts is not ["GET", var target, "HTTP/1.1"] || target.Contains('\t'))
        {
            return null;
        }
        if (target == WebSocketEndpoint.Path)
        {
            return "";
        }
        return target.StartsWith(WebSocketEndpoint.Path + "?", StringComparison.Ordinal) ? target[WebSocketEndpoint.Path.Length..] : null;
    }

    /// <summary>The headers the handshake reads; the others are checked for form and dropped.</summary>
    private sealed class Headers
    {
        private readonly Dictionary<string, string> _single = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<string> _cookies = [];
        private readonly List<string> _protocols = [];
        private readonly List<string> _forwardedProto = [];
        private bool _offersDeflate;

        // Given twice, each of these would make the handshake ambiguous; Kestrel's answer to that is the one to give.
        private static readonly HashSet<string> Single = new(StringComparer.OrdinalIgnoreCase)
        {
            "Host", "Origin", "Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version",
        };

        public bool Add(string line)
        {
            var colon = line.IndexOf(':');
            if (colon <= 0 || !IsToken(line.AsSpan(0, colon)))
            {
                return false;
            }
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(' ', '\t');
            if (Single.Contains(name))
            {
                return _single.TryAdd(name, value);
            }
            switch (name.ToLowerInvariant())
            {
                case "cookie":
                    _cookies.Add(value);
                    break;
                case "sec-websocket-protocol":
                    _protocols.AddRange(value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
                    break;
                case "sec-websocket-extensions":
                    _offersDeflate |= value.Contains("permessage-deflate", StringComparison.OrdinalIgnoreCase);
                    break;
                case "x-forwarded-proto":
                    _forwardedProto.Add(value);
                    break;
                case "content-length" when value != "0":
                case "transfer-encoding":
                    // A handshake has no body; a request with one is not a handshake this class serves.
                    return false;
            }
            return true;
        }

        public UpgradeHead? ToHead(string query)
        {
            if (!_single.TryGetValue("Host", out var host) || host.Length == 0
                || !_single.TryGetValue("Upgrade", out var upgrade) || !upgrade.Equals("websocket", StringComparison.OrdinalIgnoreCase)
                || !_single.TryGetValue("Connection", out var connection) || !HasToken(connection, "upgrade")
                || !_single.TryGetValue("Sec-WebSocket-Version", out var version) || version != Version
                || !_single.TryGetValue("Sec-WebSocket-Key", out var key) || !IsKey(key))
            {
                return null;
            }
            return new UpgradeHead(
                query.Length == 0 ? null : query,
                host,
                _single.GetValueOrDefault("Origin"),
                _cookies.Count == 0 ? null : string.Join("; ", _cookies),
                _forwardedProto.Count == 0 ? null : string.Join(",", _forwardedProto),
                key,
                _protocols,
                _offersDeflate);
        }

        private static bool HasToken(string list, string token)
        {
            foreach (var part in list.Split(',', StringSplitOptions.TrimEntries))
            {
                if (part.Equals(token, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
            return false;
        }

        // RFC 6455 4.1: the key is 16 random bytes, base64-encoded (24 characters).
        private static bool IsKey(string key)
        {
            Span<byte> decoded = stackalloc byte[18];
            return key.Length == 24 && Convert.TryFromBase64String(key, decoded, out var written) && written == 16;
        }

        private static bool IsToken(ReadOnlySpan<char> name)
        {
            foreach (var c in name)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c)))
                {
                    return false;
                }
            }
            return true;
        }
    }
}
