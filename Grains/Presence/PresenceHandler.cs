using System.Text.Json;
using Microsoft.Extensions.Logging;
using Realtime.Connections;
using Realtime.Users;

namespace Realtime.Presence;

/// <summary>
/// <c>presence</c>: how many users are online and with how many connections, the connection counts of the users
/// named in <c>data.users</c> and how many connections watch each chart in <c>data.charts</c> (docs/protocol.md 1.11).
/// Listing every online user is left to the HTTP API: a browser asks about the users it shows.
/// </summary>
internal sealed class PresenceHandler(ILogger<PresenceHandler> logger) : IUserMessageHandler
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(5);

    public string Type => "presence";

    public async Task Handle(UserMessageContext context)
    {
        PresenceQuery? query;
        FieldError? error;
        if (context.Message.DataJson is null)
        {
            PresenceQuery.TryParse(null, out query, out error);
        }
        else
        {
            using var data = JsonDocument.Parse(context.Message.DataJson);
            PresenceQuery.TryParse(data.RootElement, out query, out error);
        }
        if (query is null)
        {
            context.Error(ErrorCodes.InvalidData, $"{error!.Describe("data")}.");
            return;
        }
        PresenceAnswer answer;
        try
        {
            answer = await context.GrainFactory.GetGrain<IPresenceGrain>(IPresenceGrain.SingletonKey).Query(query).WaitAsync(QueryTimeout);
        }
        catch (Exception e)
        {
            logger.LogWarning("Presence query of user {UserId} failed: {Error}", context.UserId, e.Message);
            context.Error(ErrorCodes.Unavailable, "Presence cannot be read right now; try again.");
            return;
        }
        context.Reply(ServerFrame.Encode(Type, null, context.Message.IdJson, answer.WriteJson));
    }
}
