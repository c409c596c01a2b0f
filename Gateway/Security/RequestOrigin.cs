namespace Realtime.Gateway.Security;

/// <summary>What <see cref="OriginPolicy"/> reads of a request: its <c>Origin</c> (null when it has none), the path for
/// the refusal's log line, and the Host, scheme and X-Forwarded-Proto that tell the gateway's own pages.</summary>
internal sealed record RequestOrigin(string? Origin, string Path, string? Host, string Scheme, string? ForwardedProto);
