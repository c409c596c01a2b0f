namespace Realtime.Gateway.WebSockets;

/// <summary>The answer to an upgrade: the user it logs in, or the HTTP status and text it is refused with.</summary>
/// <param name="RetryLater">The refusal is an outage (the session store): the answer carries <c>Retry-After</c>.</param>
internal readonly record struct Admission(string? UserId, int Status, string? Refusal, bool RetryLater)
{
    public static Admission Admit(string userId) => new(userId, StatusCodes.Status101SwitchingProtocols, null, false);

    public static Admission Refuse(int status, string why, bool retryLater = false) => new(null, status, why, retryLater);
}
