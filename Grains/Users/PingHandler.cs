namespace Realtime.Users;

/// <summary>The built-in <c>ping</c>: answers <c>pong</c> with the server time, so a client can measure round trips.</summary>
internal sealed class PingHandler(TimeProvider clock) : IUserMessageHandler
{
    public string Type => "ping";

    public Task Handle(UserMessageContext context)
    {
        context.Reply("pong", new { time = clock.GetUtcNow().ToUnixTimeMilliseconds() });
        return Task.CompletedTask;
    }
}
