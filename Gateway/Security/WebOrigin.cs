using System.Diagnostics.CodeAnalysis;

namespace Realtime.Gateway.Security;

/// <summary>
/// A browser origin, scheme plus host plus port, compared the way browsers compare them: case-insensitively and
/// with the default port spelled out or not (<c>https://a.example</c> is <c>https://a.example:443</c>).
/// </summary>
internal readonly record struct WebOrigin(string Scheme, string Host, int Port)
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out WebOrigin? origin)
    {
        origin = null;
        if (!Uri.TryCreate(text?.TrimEnd('/'), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https")
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            return false;
        }
        origin = new WebOrigin(uri.Scheme, uri.IdnHost.ToLowerInvariant(), uri.Port);
        return true;
    }

    public override string ToString() => $"{Scheme}://{Host}:{Port}";
}
