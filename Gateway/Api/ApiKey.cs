using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Realtime.Gateway.Api;

/// <summary>
/// Checks a request's <c>Authorization: Bearer &lt;key&gt;</c> against <c>Api:Key</c> in constant time: both are
/// hashed to the same length first, so neither the comparison nor the key's length can be timed.
/// </summary>
internal sealed class ApiKey(IOptions<ApiOptions> options)
{
    private const string Scheme = "Bearer ";

    private readonly byte[] _expected = Hash(options.Value.Key ?? "");

    public bool Allows(HttpRequest request)
    {
        var header = request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value || !value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var given = Hash(value[Scheme.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(given, _expected) && _expected.Length > 0 && options.Value.Enabled;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
