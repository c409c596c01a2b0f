using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Realtime.Connections;
using Realtime.Modules;
using Realtime.Registration;

namespace Realtime.Users;

/// <summary>
/// The server-side presence of one signed-in user. Its connections are persisted when they change, so a grain
/// re-activated after a silo failure reaches the user at once; gateways also refresh them on a timer
/// (<see cref="IUserGrain.Refresh"/>), and connections of a gateway that stopped refreshing are forgotten after
/// <see cref="ConnectionExpiry"/>.
/// </summary>
/// <remarks>
/// Most users' grains only wait for pushes, and there is one per signed-in user, so an idle one is kept small: the
/// expiry runs at the start of every call, and a timer runs it besides only while the user has modules (a chart
/// agent, ...), which must release a lost connection's work without waiting for a call.
/// </remarks>
[GrainType("user")]
internal sealed class UserGrain(
    [PersistentState("connections", "redis")] IPersistentState<UserConnectionsState> saved,
    HandlerRegistry<IUserMessageHandler> handlers,
    UserMetrics metrics,
    TimeProvider clock,
    ILogger<UserGrain> logger) : Grain, IUserGrain
{
    // Longer than two of the gateways' longest user refresh (Gateway:UserRefreshSeconds, at most 120 s), so a live
    // gateway's connection is never expired; a dead gateway's is forgotten sooner anyway, by the first push that fails.
    internal static readonly TimeSpan ConnectionExpiry = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan GatewayCallTimeout = TimeSpan.FromSeconds(5);
    // Orleans reports a gateway as not available both when it died and, briefly, while it reconnects after a silo
    // failed (it restates its connections as soon as it is back). Only one that stays unavailable this long (silos
    // drop a vanished client after 5 s) is taken for dead; the pushes meanwhile are retried, not lost.
    internal static readonly TimeSpan GatewayGoneAfter = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, TrackedConnection> _connections = new(StringComparer.Ordinal);
    private UserModules? _modules;
    private IGrainTimer? _expiryTimer;
    // Made with the first failed push: most users never see one.
    private Dictionary<string, DateTimeOffset>? _unavailableSince;

    private string UserId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        foreach (var connection in saved.State.Connections.Values)
        {
            _connections[connection.InstanceId] = new TrackedConnection(connection, now);
        }
        return Task.CompletedTask;
    }

    private UserModules Modules => _modules ??= new UserModules(logger);

    public async Task Connect(ConnectionInfo connection)
    {
        await ExpireConnections();
        _connections[connection.InstanceId] = new TrackedConnection(connection, clock.GetUtcNow());
        await SaveConnections();
    }

    public async Task Disconnect(string instanceId)
    {
        if (_connections.Remove(instanceId))
        {
            await SaveConnections();
            await ConnectionGone(instanceId);
        }
    }

    public async Task<ImmutableArray<ServerFrame>> Receive(string instanceId, UserMessage message)
    {
        var handler = handlers.Find(message.Type);
        metrics.Handled.Add(1, new KeyValuePair<string, object?>("type", handler?.Type ?? "unknown"));
        if (handler is null)
        {
            return [ServerFrame.Error(ErrorCodes.UnknownType, $"Unknown message type '{Truncate(message.Type)}'.", message.IdJson)];
        }

        await ExpireConnections();
        var connection = _connections.GetValueOrDefault(instanceId)?.Info;
        var context = new UserMessageContext(UserId, connection, instanceId, message, Modules, GrainFactory);
        try
        {
            await handler.Handle(context);
        }
        catch (Exception e) when (ClusterOutage.Is(e))
        {
            // A grain the handler called is on a silo that is failing over: an outage, not a refusal. The browser
            // library sends the request again.
            logger.LogWarning("Handler {Handler} could not reach the cluster for user {UserId} type {Type}: {Error}",
                handler.GetType().Name, UserId, message.Type, e.Message);
            context.Error(ErrorCodes.Unavailable, "The server could not reach what this message needs; try again.");
        }
        catch (Exception e)
        {
            // A handler bug must not take the user's grain or connection down with it; the client gets an answer.
            logger.LogError(e, "Handler {Handler} failed for user {UserId} instance {InstanceId} type {Type}",
                handler.GetType().Name, UserId, instanceId, message.Type);
            context.Error(ErrorCodes.Internal, "The server failed to handle this message.");
        }
        finally
        {
            if (_modules is { Count: > 0 })
            {
                _expiryTimer ??= this.RegisterGrainTimer(ExpireConnections, ConnectionExpiry, ConnectionExpiry);
            }
        }
        return context.Replies;
    }

    public async Task Push(ServerFrame frame, string? instanceId = null)
    {
        await ExpireConnections();
        IEnumerable<TrackedConnection> targets = instanceId is null
            ? _connections.Values
            : _connections.TryGetValue(instanceId, out var one) ? [one] : [];
        await ForEachGateway(targets, (gateway, ids) => gateway.Send(ids, frame));
    }

    public async Task Logout(string reason)
    {
        var targets = _connections.Values.ToArray();
        _connections.Clear();
        await SaveConnections();
        await ForEachGateway(targets, (gateway, ids) => gateway.Close(ids, CloseCodes.LoggedOut, reason));
        await LastConnectionGone();
    }

    public async Task Refresh(string gatewayId, IGatewayObserver gateway, ImmutableArray<string> instanceIds)
    {
        var now = clock.GetUtcNow();
        var listed = instanceIds.ToHashSet(StringComparer.Ordinal);
        var changed = false;
        foreach (var gone in _connections.Values.Where(c => c.Info.GatewayId == gatewayId && !listed.Contains(c.Info.InstanceId)).ToArray())
        {
            changed |= _connections.Remove(gone.Info.InstanceId);
        }
        foreach (var instanceId in instanceIds)
        {
            changed |= !_connections.ContainsKey(instanceId);
            _connections[instanceId] = new TrackedConnection(new ConnectionInfo(instanceId, gatewayId, gateway), now);
        }
        await ExpireConnections();
        if (changed)
        {
            await SaveConnections();
        }
        if (_connections.Count == 0)
        {
            await LastConnectionGone();
        }
    }

    public async Task<ImmutableArray<string>> GetConnections()
    {
        await ExpireConnections();
        return [.. _connections.Keys];
    }

    private async Task ExpireConnections()
    {
        var oldest = clock.GetUtcNow() - ConnectionExpiry;
        List<TrackedConnection>? expired = null;
        foreach (var connection in _connections.Values)
        {
            if (connection.Seen < oldest)
            {
                (expired ??= []).Add(connection);
            }
        }
        foreach (var stale in expired ?? [])
        {
            logger.LogInformation("Forgetting connection {InstanceId} of user {UserId}: its gateway stopped refreshing", stale.Info.InstanceId, UserId);
            _connections.Remove(stale.Info.InstanceId);
            await SaveConnections();
            await ConnectionGone(stale.Info.InstanceId);
        }
    }

    private async Task ConnectionGone(string instanceId)
    {
        if (_modules is not null)
        {
            await _modules.ConnectionClosed(instanceId);
        }
        if (_connections.Count == 0)
        {
            await LastConnectionGone();
        }
    }

    private async Task LastConnectionGone()
    {
        if (_modules is not null)
        {
            await _modules.DisposeAll();
        }
        _expiryTimer?.Dispose();
        _expiryTimer = null;
        DeactivateOnIdle();
    }

    /// <summary>
    /// One call per gateway, all at once. A gateway Orleans has reported as not available for
    /// <see cref="GatewayGoneAfter"/> (its process died) loses its connections here. Any other failure (a gateway
    /// reconnecting, a timeout, a silo in the path failing over) is rethrown after the other gateways were served, so the service message that caused the push is retried, not lost.
    /// </summary>
    private async Task ForEachGateway(IEnumerable<TrackedConnection> targets, Func<IGatewayObserver, ImmutableArray<string>, Task> send)
    {
        var byGateway = targets.GroupBy(c => c.Info.GatewayId).ToArray();
        if (byGateway.Length == 0)
        {
            return;
        }
        var calls = byGateway.Select(async group =>
        {
            var ids = group.Select(c => c.Info.InstanceId).ToImmutableArray();
            try
            {
                await send(group.First().Info.Gateway, ids).WaitAsync(GatewayCallTimeout);
                return (Gateway: group.Key, Error: (Exception?)null);
            }
            catch (Exception e)
            {
                return (Gateway: group.Key, Error: e);
            }
        });
        var results = await Task.WhenAll(calls);
        var now = clock.GetUtcNow();
        foreach (var (gatewayId, _) in results.Where(r => r.Error is null))
        {
            _unavailableSince?.Remove(gatewayId);
        }
        var gone = results.Where(r => r.Error is ClientNotAvailableException && now - _unavailableSince?.GetValueOrDefault(r.Gateway, now) >= GatewayGoneAfter).ToArray();
        // Counted from the first failed call of any kind: a dead gateway first times out, then is reported not available.
        foreach (var (gatewayId, _) in results.Where(r => r.Error is not null))
        {
            (_unavailableSince ??= new(StringComparer.Ordinal)).TryAdd(gatewayId, now);
        }
        foreach (var (gatewayId, _) in gone)
        {
            logger.LogWarning("Gateway {GatewayId} is gone; forgetting its connections of user {UserId}", gatewayId, UserId);
            _unavailableSince!.Remove(gatewayId);
            foreach (var lost in _connections.Values.Where(c => c.Info.GatewayId == gatewayId).ToArray())
            {
                _connections.Remove(lost.Info.InstanceId);
                await SaveConnections();
                await ConnectionGone(lost.Info.InstanceId);
            }
        }
        var transient = results.Where(r => r.Error is not null && !gone.Contains(r)).ToArray();
        if (transient.Length > 0)
        {
            throw new GatewayUnreachableException(transient.Select(t => t.Gateway), transient[0].Error!);
        }
    }

    /// <summary>
    /// Best effort: if Redis is briefly unreachable the connection still works, and the next change or the
    /// gateway's refresh writes the state again.
    /// </summary>
    private async Task SaveConnections()
    {
        saved.State.Connections = _connections.Values.ToDictionary(c => c.Info.InstanceId, c => c.Info, StringComparer.Ordinal);
        try
        {
            if (saved.State.Connections.Count == 0)
            {
                await saved.ClearStateAsync();
            }
            else
            {
                await saved.WriteStateAsync();
            }
        }
        catch (Exception e)
        {
            logger.LogWarning("Could not save the connections of user {UserId}: {Error}", UserId, e.Message);
        }
    }

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "…";

    private sealed record TrackedConnection(ConnectionInfo Info, DateTimeOffset Seen);
}
