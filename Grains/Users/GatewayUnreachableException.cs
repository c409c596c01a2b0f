namespace Realtime.Users;

/// <summary>
/// A push could not reach some gateways for a reason that may pass (a timeout, a failover in progress). The caller
/// retries: for a service message that means the pump delivers it again.
/// </summary>
public sealed class GatewayUnreachableException(IEnumerable<string> gatewayIds, Exception first)
    : Exception($"Gateways unreachable: {string.Join(", ", gatewayIds)} ({first.GetType().Name}: {first.Message})", first);
