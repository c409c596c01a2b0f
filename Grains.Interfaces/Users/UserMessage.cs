namespace Realtime.Users;

/// <summary>
/// A frame a browser sent, after the gateway checked it is a JSON object with a string <c>type</c>.
/// <see cref="DataJson"/> is the raw <c>data</c> value (or <c>null</c> when absent), parsed by the handler that owns
/// <see cref="Type"/>; <see cref="IdJson"/> is the client's correlation id as its raw JSON token, echoed in replies.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("realtime.UserMessage")]
public sealed record UserMessage(
    [property: Id(0)] string Type,
    [property: Id(1)] string? DataJson,
    [property: Id(2)] string? IdJson);
