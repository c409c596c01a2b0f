using System.Globalization;
using System.Text.Json;

namespace Realtime.Gateway.Authentication;

/// <summary>Reads the logged-in user from a verified session, as <c>django.contrib.auth.get_user</c>.</summary>
internal static class DjangoSessionUser
{
    /// <summary>django.contrib.auth.SESSION_KEY.</summary>
    public const string UserIdKey = "_auth_user_id";

    // Primary keys are integers or UUIDs in practice; the bound keeps a hostile-but-signed id out of
    // grain keys and log lines.
    private const int MaxUserIdLength = 256;

    public static DjangoSessionDecodeResult Read(JsonElement session)
    {
        if (!session.TryGetProperty(UserIdKey, out var id) || id.ValueKind == JsonValueKind.Null)
        {
            return DjangoSessionDecodeResult.Rejected(
                DjangoSessionRejection.Anonymous,
                "The session holds no _auth_user_id: nobody is logged in.",
                session);
        }

        var userId = id.ValueKind switch
        {
            // Django stores pk.value_to_string(user), but older code paths stored the raw integer.
            JsonValueKind.String => id.GetString(),
            JsonValueKind.Number when id.TryGetInt64(out var number) =>
                number.ToString(CultureInfo.InvariantCulture),
            _ => null,
        };

        if (string.IsNullOrEmpty(userId)
            || userId.Length > MaxUserIdLength
            || userId.AsSpan().ContainsAnyInRange('\0', '\u001f')
            || userId.Contains('\u007f', StringComparison.Ordinal))
        {
            return DjangoSessionDecodeResult.Rejected(
                DjangoSessionRejection.Malformed,
                "The session's _auth_user_id is not a usable user id.",
                session);
        }

        return DjangoSessionDecodeResult.Authenticated(session, userId);
    }
}
