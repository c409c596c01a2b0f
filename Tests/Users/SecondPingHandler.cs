using Realtime.Users;

namespace Realtime.Tests.Users;

/// <summary>Claims <c>ping</c>, which the built-in handler already owns: start-up must refuse it.</summary>
public sealed class SecondPingHandler : IUserMessageHandler
{
    public string Type => "ping";

    public Task Handle(UserMessageContext context) => Task.CompletedTask;
}
