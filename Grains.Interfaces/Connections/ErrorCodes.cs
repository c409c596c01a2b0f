namespace Realtime.Connections;

/// <summary>The fixed list of <c>error</c> frame codes; docs/protocol.md lists the same and says when each is sent.</summary>
public static class ErrorCodes
{
    public const string InvalidJson = "invalid_json";
    public const string InvalidFrame = "invalid_frame";
    public const string MissingType = "missing_type";
    public const string UnknownType = "unknown_type";
    public const string InvalidData = "invalid_data";
    public const string BinaryNotSupported = "binary_not_supported";
    public const string RateLimited = "rate_limited";
    public const string NotFound = "not_found";
    public const string LimitExceeded = "limit_exceeded";
    public const string Unavailable = "unavailable";
    public const string Internal = "internal";
}
