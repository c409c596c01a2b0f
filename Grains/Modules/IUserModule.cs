namespace Realtime.Modules;

/// <summary>
/// A per-user stateful part (a chart agent, a quote listener) that a handler creates on demand inside the user's
/// grain. Disposed when the user's last connection closes, which is where it releases subscriptions.
/// </summary>
public interface IUserModule : IAsyncDisposable
{
    /// <summary>One of the user's connections closed; drop what belonged to it.</summary>
    ValueTask OnConnectionClosed(string instanceId);
}
