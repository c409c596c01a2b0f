using Realtime.Registration;

namespace Realtime.Services;

/// <summary>
/// Handles one type of service-queue message. The dispatcher hands over every message of the type from one batch, in
/// queue order, so a handler can keep per-key order while working on different keys at once.
/// </summary>
public interface IServiceMessageHandler : IMessageHandler
{
    /// <summary>
    /// Returns one outcome per message, same order. A message that fails validation is
    /// <see cref="ServiceOutcome.Rejected"/> (it goes to the dead-letter list); an exception means the
    /// infrastructure failed and the whole group is tried again.
    /// </summary>
    Task<ServiceOutcome[]> Handle(IReadOnlyList<ServiceMessage> messages, CancellationToken cancellationToken);
}
