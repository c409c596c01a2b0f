using System.Text.Json;

namespace Realtime.Gateway.Api;

/// <summary>The API's answers: JSON bodies, and errors as <c>{error, field}</c> (field only when one is at fault).</summary>
internal static class ApiResults
{
    public const int RetryAfterSeconds = 1;

    public static IResult Error(int status, string error, string? field = null) =>
        Results.Json(field is null ? new { error } : (object)new { error, field }, statusCode: status);

    /// <summary>400 naming the field; a body that is itself wrong (not an object) has no field, so none is sent (docs/protocol.md 3.1).</summary>
    public static IResult BadField(FieldError error) =>
        Error(StatusCodes.Status400BadRequest, error.Describe() + ".", error.Field.Length == 0 ? null : error.Field);

    public static IResult Unavailable(HttpContext http)
    {
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString();
        return Error(StatusCodes.Status503ServiceUnavailable, "The cluster is unavailable; try again.");
    }

    public static IResult Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }
        return Results.Bytes(buffer.WrittenMemory.ToArray(), "application/json");
    }
}
