namespace Realtime.Services;

/// <summary>
/// <c>site</c>: the Django site's own channel. <c>data.action</c> is <c>push</c> (a message to the given users'
/// connections, or to the given connections), <c>broadcast</c> (to every connection) or <c>logout</c> (close the given
/// users' connections everywhere). Messages are applied in queue order; the users of one message are reached at once.
/// The gateway's HTTP API reads and carries out the same instructions with the same code
/// (<see cref="SiteCommandParser"/>, <see cref="SiteCommands"/>).
/// </summary>
internal sealed class SiteServiceHandler(SiteCommands commands) : IServiceMessageHandler
{
    public string Type => "site";

    public async Task<ServiceOutcome[]> Handle(IReadOnlyList<ServiceMessage> messages, CancellationToken cancellationToken)
    {
        var outcomes = new ServiceOutcome[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            if (SiteCommandParser.TryParse(messages[i].Data, out var command, out var error))
            {
                await commands.Execute(command);
                outcomes[i] = ServiceOutcome.Delivered;
            }
            else
            {
                outcomes[i] = ServiceOutcome.Rejected($"site: {error.Describe("data")}");
            }
        }
        return outcomes;
    }
}
