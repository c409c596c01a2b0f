using System.Buffers;
using System.Text.Json;

namespace Realtime.Gateway.Api;

/// <summary>Reads a request body as one JSON value, refusing more than <c>Api:MaxBodyBytes</c> (413) and anything not JSON (400).</summary>
internal static class ApiBody
{
    /// <summary>The parsed body (the caller disposes it), or null for an empty body; or the refusal to answer with.</summary>
    public static async Task<(JsonDocument? Body, IResult? Refusal)> Read(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(maxBytes + 1, 64 * 1024));
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                    {
                        return (null, TooLarge(maxBytes));
                    }
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    break;
                }
                length += read;
                if (length > maxBytes)
                {
                    return (null, TooLarge(maxBytes));
                }
            }
            if (buffer.AsSpan(0, length).Trim(" \t\r\n"u8).IsEmpty)
            {
                return (null, null);
            }
            try
            {
                return (JsonDocument.Parse(buffer.AsMemory(0, length).ToArray(), new JsonDocumentOptions { MaxDepth = 64 }), null);
            }
            catch (JsonException e)
            {
                return (null, ApiResults.Error(StatusCodes.Status400BadRequest, $"The body is not valid JSON: {e.Message}"));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static IResult TooLarge(int maxBytes) =>
        ApiResults.Error(StatusCodes.Status413PayloadTooLarge, $"The body is larger than {maxBytes} bytes (Api:MaxBodyBytes).");
}
