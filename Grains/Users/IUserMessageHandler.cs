using Realtime.Registration;

namespace Realtime.Users;

/// <summary>
/// Handles one type of message a browser sends. Handlers are stateless singletons; per-user state lives in modules
/// (<see cref="UserMessageContext.Modules"/>). A handler reports a user's mistake with
/// <see cref="UserMessageContext.Error"/>, never by throwing.
/// </summary>
public interface IUserMessageHandler : IMessageHandler
{
    Task Handle(UserMessageContext context);
}
