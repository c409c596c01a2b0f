using System.Text.Json;

namespace Realtime.Services;

/// <summary>
/// A message a backend program pushed onto a service queue: <c>{type, src, data}</c> (docs/protocol.md).
/// <see cref="Raw"/> keeps the original text so a rejected message reaches the dead-letter list unchanged.
/// </summary>
public sealed record ServiceMessage(string Type, string? Source, JsonElement Data, string Raw);
