using Microsoft.Extensions.Logging;
using Realtime.Registration;

namespace Realtime.Services;

/// <summary>
/// Hands each message of a batch to the service handler registered for its type. Different types run at once;
/// messages of one type go to their handler together and in queue order.
/// </summary>
public sealed class ServiceDispatcher(HandlerRegistry<IServiceMessageHandler> handlers, ILogger<ServiceDispatcher> logger)
{
    /// <summary>
    /// Returns an outcome per message. A null entry means the handler failed (an exception, not a verdict on the
    /// message), so the caller should try that message again.
    /// </summary>
    public async Task<ServiceOutcome?[]> Dispatch(IReadOnlyList<string> rawMessages, CancellationToken cancellationToken)
    {
        var outcomes = new ServiceOutcome?[rawMessages.Count];
        var groups = new Dictionary<IServiceMessageHandler, List<(int Index, ServiceMessage Message)>>();
        for (var i = 0; i < rawMessages.Count; i++)
        {
            if (!ServiceMessageParser.TryParse(rawMessages[i], out var message, out var error))
            {
                outcomes[i] = ServiceOutcome.Rejected(error);
                continue;
            }
            var handler = handlers.Find(message.Type);
            if (handler is null)
            {
                outcomes[i] = ServiceOutcome.Rejected($"unknown type '{message.Type}'");
                continue;
            }
            if (!groups.TryGetValue(handler, out var group))
            {
                groups.Add(handler, group = []);
            }
            group.Add((i, message));
        }

        await Task.WhenAll(groups.Select(async group =>
        {
            var messages = group.Value.Select(m => m.Message).ToArray();
            try
            {
                var results = await group.Key.Handle(messages, cancellationToken);
                if (results.Length != messages.Length)
                {
                    throw new InvalidOperationException($"{group.Key.GetType().Name} returned {results.Length} outcomes for {messages.Length} messages");
                }
                for (var j = 0; j < results.Length; j++)
                {
                    outcomes[group.Value[j].Index] = results[j];
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Service handler {Handler} failed on {Count} messages; they will be retried", group.Key.GetType().Name, messages.Length);
            }
        }));
        return outcomes;
    }
}
