namespace Realtime.Gateway.Authentication;

/// <summary>Why a session value does not log anybody in.</summary>
public enum DjangoSessionRejection
{
    /// <summary>Not a Django session value at all, or broken after a valid signature.</summary>
    Malformed,

    /// <summary>Shaped like a session, but not signed by any configured key with our salt.</summary>
    BadSignature,

    /// <summary>A genuine session that holds no logged-in user.</summary>
    Anonymous,
}
