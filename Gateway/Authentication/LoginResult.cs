namespace Realtime.Gateway.Authentication;

/// <summary>
/// The outcome of checking a connecting client's session: a user id, why the login is refused (the session is bad),
/// or that the session could not be read at all (an outage: the client should try again, not give up).
/// </summary>
internal sealed record LoginResult(string? UserId, string? Refusal, bool StoreUnavailable)
{
    public static LoginResult Success(string userId) => new(userId, null, false);

    public static LoginResult Refused(string why) => new(null, why, false);

    public static LoginResult Unavailable(string why) => new(null, why, true);
}
