using Realtime.Connections;
using Realtime.Users;

namespace Realtime.Tests.Users;

/// <summary>
/// A test handler with data validation: <c>echo</c> answers its text back; text "boom" makes it throw, to show a
/// handler bug becomes an <c>internal</c> error frame instead of a dead grain.
/// </summary>
public sealed class EchoHandler : IUserMessageHandler
{
    public string Type => "echo";

    public Task Handle(UserMessageContext context)
    {
        if (!context.TryReadData<EchoData>(out var data))
        {
            return Task.CompletedTask;
        }
        if (string.IsNullOrEmpty(data.Text))
        {
            context.Error(ErrorCodes.InvalidData, "'text' must be a non-empty string.");
            return Task.CompletedTask;
        }
        if (data.Text == "boom")
        {
            throw new InvalidOperationException("the echo handler exploded on purpose");
        }
        context.Reply("echo", new { text = data.Text, user = context.UserId });
        return Task.CompletedTask;
    }

    public sealed record EchoData(string? Text);
}
