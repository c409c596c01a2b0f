using Microsoft.Extensions.Logging;
using Realtime.Connections;
using Realtime.Users;

namespace Realtime.Services;

/// <summary>
/// Carries out a <see cref="SiteCommand"/>: the one code path behind the <c>site</c> service message and the
/// gateway's HTTP API. Users are reached through their grains (which know their connections on every gateway and
/// tell a gateway that died from one that is only slow); a broadcast, and a push to connections named without their
/// users, go to every live gateway, each of which skips the connections it does not hold.
/// </summary>
public sealed class SiteCommands(IGrainFactory grains, ILogger<SiteCommands> logger)
{
    private static readonly TimeSpan GatewayCallTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Throws when part of the cluster could not be reached for a reason that may pass; the caller tries again.</summary>
    public Task Execute(SiteCommand command) => command.Action switch
    {
        SiteCommand.Push when command.Users.IsEmpty => ToEveryGateway(gateway => gateway.Send(command.Instances, command.Frame!)),
        SiteCommand.Push when command.Instances.IsEmpty => Task.WhenAll(command.Users.Select(user => User(user).Push(command.Frame!))),
        // Each named connection through the grain of each named user: a user grain skips connections it does not hold.
        SiteCommand.Push => Task.WhenAll(command.Users.SelectMany(user => command.Instances.Select(instance => User(user).Push(command.Frame!, instance)))),
        SiteCommand.Broadcast => ToEveryGateway(gateway => gateway.Broadcast(command.Frame!)),
        SiteCommand.Logout => Task.WhenAll(command.Users.Select(user => User(user).Logout("logged out"))),
        _ => throw new ArgumentException($"Unknown site action '{command.Action}'", nameof(command)),
    };

    private IUserGrain User(string userId) => grains.GetGrain<IUserGrain>(userId);

    private async Task ToEveryGateway(Func<IGatewayObserver, Task> send)
    {
        var gateways = await grains.GetGrain<IGatewayDirectoryGrain>(IGatewayDirectoryGrain.SingletonKey).GetGateways();
        await Task.WhenAll(gateways.Select(async gateway =>
        {
            try
            {
                await send(gateway).WaitAsync(GatewayCallTimeout);
            }
            catch (Exception e)
            {
                // A dead gateway's clients are gone anyway; the others must still get the message.
                logger.LogWarning("A site message to a gateway failed: {Error}", e.Message);
            }
        }));
    }
}
