using System.Text.Json;
using Microsoft.Extensions.Logging;
using Realtime.Connections;
using Realtime.Users;

namespace Realtime.Services;

/// <summary>
/// <c>site</c>: the Django site's own channel. <c>data.action</c> is <c>push</c> (a message to the given users'
/// connections), <c>broadcast</c> (to every connection) or <c>logout</c> (close the given users' connections
/// everywhere). Messages are applied in queue order; the users of one message are reached at once.
/// </summary>
internal sealed class SiteServiceHandler(IGrainFactory grains, ILogger<SiteServiceHandler> logger) : IServiceMessageHandler
{
    internal const int MaxUsersPerMessage = 10_000;
    private static readonly TimeSpan GatewayCallTimeout = TimeSpan.FromSeconds(5);

    public string Type => "site";

    public async Task<ServiceOutcome[]> Handle(IReadOnlyList<ServiceMessage> messages, CancellationToken cancellationToken)
    {
        var outcomes = new ServiceOutcome[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            outcomes[i] = await HandleOne(messages[i].Data);
        }
        return outcomes;
    }

    private async Task<ServiceOutcome> HandleOne(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object)
        {
            return ServiceOutcome.Rejected("site: 'data' must be an object");
        }
        if (!data.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.String)
        {
            return ServiceOutcome.Rejected("site: 'data.action' must be a string");
        }
        switch (action.GetString())
        {
            case "push":
                if (!TryReadUsers(data, out var users, out var usersError))
                {
                    return ServiceOutcome.Rejected(usersError);
                }
                if (!TryReadFrame(data, out var frame, out var frameError))
                {
                    return ServiceOutcome.Rejected(frameError);
                }
                await Task.WhenAll(users.Select(user => grains.GetGrain<IUserGrain>(user).Push(frame)));
                return ServiceOutcome.Delivered;
            case "broadcast":
                if (!TryReadFrame(data, out var broadcast, out var broadcastError))
                {
                    return ServiceOutcome.Rejected(broadcastError);
                }
                await Broadcast(broadcast);
                return ServiceOutcome.Delivered;
            case "logout":
                if (!TryReadUsers(data, out var loggedOut, out var logoutError))
                {
                    return ServiceOutcome.Rejected(logoutError);
                }
                await Task.WhenAll(loggedOut.Select(user => grains.GetGrain<IUserGrain>(user).Logout("logged out")));
                return ServiceOutcome.Delivered;
            default:
                return ServiceOutcome.Rejected($"site: unknown action '{action.GetString()}' (push, broadcast, logout)");
        }
    }

    private async Task Broadcast(ServerFrame frame)
    {
        var gateways = await grains.GetGrain<IGatewayDirectoryGrain>(IGatewayDirectoryGrain.SingletonKey).GetGateways();
        await Task.WhenAll(gateways.Select(async gateway =>
        {
            try
            {
                await gateway.Broadcast(frame).WaitAsync(GatewayCallTimeout);
            }
            catch (Exception e)
            {
                // A dead gateway's clients are gone anyway; the others must still get the message.
                logger.LogWarning("Broadcast to a gateway failed: {Error}", e.Message);
            }
        }));
    }

    private static bool TryReadUsers(JsonElement data, out string[] users, out string error)
    {
        users = [];
        if (!data.TryGetProperty("users", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            error = "site: 'data.users' must be an array of user ids";
            return false;
        }
        if (list.GetArrayLength() is 0 or > MaxUsersPerMessage)
        {
            error = $"site: 'data.users' must hold 1 to {MaxUsersPerMessage} user ids";
            return false;
        }
        var ids = new List<string>(list.GetArrayLength());
        foreach (var item in list.EnumerateArray())
        {
            // Django user ids are integers; sites may send them as numbers or strings.
            var id = item.ValueKind switch
            {
                JsonValueKind.String => item.GetString(),
                JsonValueKind.Number => item.GetRawText(),
                _ => null,
            };
            if (string.IsNullOrEmpty(id) || id.Length > 128)
            {
                error = "site: every user id must be a non-empty string or number";
                return false;
            }
            ids.Add(id);
        }
        users = [.. ids.Distinct(StringComparer.Ordinal)];
        error = "";
        return true;
    }

    private static bool TryReadFrame(JsonElement data, out ServerFrame frame, out string error)
    {
        frame = null!;
        if (!data.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
        {
            error = "site: 'data.message' must be an object {type, data}";
            return false;
        }
        if (!message.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() is not { Length: > 0 } typeName)
        {
            error = "site: 'data.message.type' must be a non-empty string";
            return false;
        }
        frame = message.TryGetProperty("data", out var payload)
            ? ServerFrame.Create(typeName, payload)
            : ServerFrame.Create<object?>(typeName, null);
        error = "";
        return true;
    }
}
