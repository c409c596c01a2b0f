using Microsoft.Net.Http.Headers;

namespace Realtime.Gateway.Authentication;

/// <summary>What a client is told when the session store cannot be read: try again soon, the session may be fine.</summary>
internal static class SessionStoreOutage
{
    /// <summary>
    /// Long enough for a restarted Redis to be reconnected (the connection retries every 0.5 to 5 s), short enough
    /// that users do not wait long after it is back; clients add their own backoff and jitter.
    /// </summary>
    public const int RetryAfterSeconds = 3;

    public static void AddRetryAfter(HttpResponse response) =>
        response.Headers[HeaderNames.RetryAfter] = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
