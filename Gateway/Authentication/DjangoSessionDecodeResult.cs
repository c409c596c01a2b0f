using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Realtime.Gateway.Authentication;

/// <summary>
/// Either an authenticated session (<see cref="UserId"/> and <see cref="Session"/> set) or a
/// <see cref="Rejection"/> with a human-readable <see cref="Message"/>.
/// </summary>
public sealed record DjangoSessionDecodeResult
{
    private DjangoSessionDecodeResult(
        DjangoSessionRejection? rejection,
        string message,
        JsonElement? session,
        string? userId)
    {
        Rejection = rejection;
        Message = message;
        Session = session;
        UserId = userId;
    }

    /// <summary>Null when the session authenticates a user.</summary>
    public DjangoSessionRejection? Rejection { get; }

    /// <summary>Safe to log: never contains the session value or any key.</summary>
    public string Message { get; }

    /// <summary>
    /// The decoded session object whenever the signature was valid, including anonymous sessions.
    /// </summary>
    public JsonElement? Session { get; }

    /// <summary>Django's <c>_auth_user_id</c>, always as a string.</summary>
    public string? UserId { get; }

    [MemberNotNullWhen(true, nameof(UserId))]
    public bool IsAuthenticated => UserId is not null;

    internal static DjangoSessionDecodeResult Authenticated(JsonElement session, string userId) =>
        new(null, "authenticated", session, userId);

    internal static DjangoSessionDecodeResult Rejected(
        DjangoSessionRejection reason,
        string message,
        JsonElement? session = null) =>
        new(reason, message, session, null);

    // The generated ToString would print the session contents (user id, auth hash) into logs.
    public override string ToString() =>
        IsAuthenticated
            ? "DjangoSessionDecodeResult { Authenticated }"
            : $"DjangoSessionDecodeResult {{ Rejection = {Rejection}, Message = {Message} }}";
}
