using System.Buffers;
using System.Buffers.Text;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Realtime.Gateway.Authentication;

/// <summary>
/// Turns a verified payload into the session object, as <c>Signer.unsign_object</c> and Django's
/// <c>JSONSerializer</c> do.
/// </summary>
internal static class DjangoSessionPayload
{
    // Duplicate keys would let this reader and Python's (last one wins) disagree about the user id.
    private static readonly JsonDocumentOptions JsonOptions = new() { AllowDuplicateProperties = false };

    /// <summary>URL-safe base64 without padding, zlib-compressed when it starts with a dot.</summary>
    public static bool TryDecode(string payload, int maxDecodedLength, out byte[]? json)
    {
        json = null;
        var compressed = payload.StartsWith('.');
        var text = compressed ? payload.AsSpan(1) : payload.AsSpan();
        var decoded = new byte[Base64Url.GetMaxDecodedLength(text.Length)];
        // The OperationStatus overload: TryDecodeFromChars throws on invalid characters.
        if (Base64Url.DecodeFromChars(text, decoded, out _, out var length) != OperationStatus.Done)
        {
            return false;
        }

        if (!compressed)
        {
            json = decoded[..length];
            return length <= maxDecodedLength;
        }

        return TryInflate(decoded.AsSpan(0, length), maxDecodedLength, out json);
    }

    /// <summary>A JSON object; Django's session store cannot hold anything else.</summary>
    public static bool TryParseObject(byte[] json, out JsonElement session)
    {
        session = default;

        // Django's JSONSerializer decodes latin-1 before json.loads; do the same so any non-ASCII byte
        // means the same character here as in Django.
        var text = Encoding.Latin1.GetString(json);
        try
        {
            using var document = JsonDocument.Parse(text, JsonOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            session = document.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // Bounded so a small signed zlib bomb cannot exhaust memory.
    private static bool TryInflate(ReadOnlySpan<byte> compressed, int maxDecodedLength, out byte[]? json)
    {
        json = null;
        try
        {
            using var input = new MemoryStream(compressed.ToArray(), writable: false);
            using var zlib = new ZLibStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = zlib.Read(buffer)) > 0)
            {
                if (output.Length + read > maxDecodedLength)
                {
                    return false;
                }

                output.Write(buffer, 0, read);
            }

            json = output.ToArray();
            return true;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }
}
