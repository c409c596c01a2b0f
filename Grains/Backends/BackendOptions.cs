using System.ComponentModel.DataAnnotations;

namespace Realtime.Backends;

/// <summary>
/// Configuration section <c>Backend</c>: which user message types go to a backend program instead of a handler in
/// the silo, and onto which Redis list (<c>Backend:Forward:&lt;type&gt;=&lt;list&gt;</c>, for instance
/// <c>Backend__Forward__order.place=queue:orders</c>). Each backend reads its own list and answers on the server's.
/// </summary>
public sealed class BackendOptions : IValidatableObject
{
    public const string Section = "Backend";
    public const int MaxListNameLength = 256;

    /// <summary>Message type to the Redis list its messages are pushed onto.</summary>
    public Dictionary<string, string> Forward { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// A backend list holding this many messages is taken for a backend that stopped reading: further forwards to it
    /// are answered <c>unavailable</c> instead of piling up where nobody reads them.
    /// </summary>
    [Range(1, 10_000_000, ErrorMessage = "Backend:MaxQueueLength must be {1}..{2}")]
    public int MaxQueueLength { get; set; } = 10_000;

    /// <summary>How long a forward may wait for Redis before the client is answered <c>unavailable</c>.</summary>
    [Range(100, 30_000, ErrorMessage = "Backend:TimeoutMilliseconds must be {1}..{2}")]
    public int TimeoutMilliseconds { get; set; } = 2_000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (type, list) in Forward)
        {
            if (type.Length is 0 or > JsonFields.MaxTypeLength || type.Any(char.IsWhiteSpace))
            {
                yield return new ValidationResult(
                    $"Backend:Forward:{type} must name a message type of 1 to {JsonFields.MaxTypeLength} characters without spaces", [nameof(Forward)]);
            }
            if (string.IsNullOrWhiteSpace(list) || list.Length > MaxListNameLength)
            {
                yield return new ValidationResult(
                    $"Backend:Forward:{type} must be the name of a Redis list (1 to {MaxListNameLength} characters)", [nameof(Forward)]);
            }
        }
    }
}
