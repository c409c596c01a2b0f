using System.Buffers.Text;
using System.IO.Compression;
using System.Text;
using Realtime.Gateway.Authentication;

namespace Realtime.Tests.Authentication;

/// <summary>
/// Builds session values signed with the reference secret, so tests can reach the checks that only run
/// after a valid signature (base64, zlib, JSON, user id).
/// </summary>
internal static class DjangoTestSessions
{
    public static DjangoSessionOptions Options => new()
    {
        SecretKey = DjangoReferenceVectors.SecretKey,
        SecretKeyFallbacks = DjangoReferenceVectors.SecretKeyFallbacks,
        SessionSalt = DjangoReferenceVectors.SessionSalt,
    };

    public static DjangoSessionDecoder Decoder => new(Options);

    /// <summary>Signs a raw payload string exactly as it should appear before the timestamp.</summary>
    public static string SignPayload(string payload) =>
        new DjangoSigner(DjangoReferenceVectors.SecretKey, DjangoReferenceVectors.SessionSalt)
            .SignWithTimestamp(payload, DateTimeOffset.UtcNow);

    public static string SignJson(string json) => SignPayload(Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json)));

    public static string SignCompressed(byte[] data) => SignPayload("." + Base64Url.EncodeToString(Compress(data)));

    private static byte[] Compress(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.SmallestSize))
        {
            zlib.Write(data);
        }

        return output.ToArray();
    }
}
