using System.ComponentModel.DataAnnotations;

namespace Realtime.Gateway.Api;

/// <summary>
/// Configuration section <c>Api</c>: the HTTP API for backends without Redis access (docs/protocol.md 3). Off
/// unless <see cref="Key"/> is set.
/// </summary>
public sealed class ApiOptions : IValidatableObject
{
    public const string Section = "Api";
    public const int MinKeyLength = 32;

    /// <summary>
    /// The key callers send as <c>Authorization: Bearer &lt;key&gt;</c>; the API is not served without one. At least
    /// <see cref="MinKeyLength"/> characters (<c>openssl rand -hex 32</c>). Never logged.
    /// </summary>
    public string? Key { get; set; }

    /// <summary>A request body larger than this is answered 413 without being read further.</summary>
    [Range(1024, 16 * 1024 * 1024, ErrorMessage = "Api:MaxBodyBytes must be {1}..{2}")]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    public bool Enabled => !string.IsNullOrEmpty(Key);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // The message names the key's length rule only: never the key.
        if (Key is { Length: > 0 } key && (key.Length < MinKeyLength || key.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            yield return new ValidationResult(
                $"Api:Key must be at least {MinKeyLength} characters without spaces (for instance the output of 'openssl rand -hex 32'), or empty to turn the API off",
                [nameof(Key)]);
        }
    }
}
