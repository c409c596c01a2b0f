using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Realtime.Gateway.Authentication;

namespace Realtime.Gateway.WebSockets;

/// <summary>The gateway's own answers to a handshake it parsed: 101 with the accept key, or a refusal with its text.</summary>
internal static class HandshakeResponse
{
    // RFC 6455 1.3: the server proves it read the handshake by hashing the client's key with this GUID.
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public static ValueTask<FlushResult> SwitchProtocols(PipeWriter output, string key, string? subProtocol)
    {
        var head = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n")
            .Append("Sec-WebSocket-Accept: ").Append(AcceptKey(key)).Append("\r\n");
        if (subProtocol is not null)
        {
            head.Append("Sec-WebSocket-Protocol: ").Append(subProtocol).Append("\r\n");
        }
        return output.WriteAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()));
    }

    /// <summary>The refusal, after which the gateway closes the connection.</summary>
    public static ValueTask<FlushResult> Refuse(PipeWriter output, Admission refusal)
    {
        var body = Encoding.UTF8.GetBytes(refusal.Refusal ?? "");
        var head = new StringBuilder()
            .Append("HTTP/1.1 ").Append(refusal.Status).Append(' ').Append(ReasonPhrases.GetReasonPhrase(refusal.Status)).Append("\r\n")
            .Append("Content-Type: text/plain; charset=utf-8\r\n")
            .Append("Content-Length: ").Append(body.Length).Append("\r\n");
        if (refusal.RetryLater)
        {
            head.Append("Retry-After: ").Append(SessionStoreOutage.RetryAfterSeconds).Append("\r\n");
        }
        var bytes = Encoding.ASCII.GetBytes(head.Append("Connection: close\r\n\r\n").ToString());
        return output.WriteAsync(bytes.Concat(body).ToArray());
    }

    public static string AcceptKey(string key) => Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));
}
