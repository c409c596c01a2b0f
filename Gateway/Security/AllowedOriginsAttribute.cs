using System.ComponentModel.DataAnnotations;

namespace Realtime.Gateway.Security;

/// <summary>
/// Each entry of <c>Gateway:AllowedOrigins</c> is <c>*</c> or an origin as a browser sends it
/// (<c>scheme://host[:port]</c>, no path): a typo would otherwise refuse every browser of the site it names.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class AllowedOriginsAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext context)
    {
        foreach (var entry in value as string[] ?? [])
        {
            if (entry != OriginPolicy.Anyone && !WebOrigin.TryParse(entry, out _))
            {
                return new ValidationResult(
                    $"{GatewayOptions.Section}:{context.MemberName} entry '{entry}' is neither * nor an origin such as https://www.example.com (scheme, host and port only)",
                    [context.MemberName!]);
            }
        }
        return ValidationResult.Success;
    }
}
