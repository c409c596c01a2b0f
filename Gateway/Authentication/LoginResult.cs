namespace Realtime.Gateway.Authentication;

/// <summary>The outcome of checking a connecting client's session: a user id, or why the login is refused.</summary>
internal sealed record LoginResult(string? UserId, string? Refusal)
{
    public static LoginResult Success(string userId) => new(userId, null);

    public static LoginResult Refused(string why) => new(null, why);
}
