using Microsoft.AspNetCore.SignalR;

namespace Realtime.Bench.Peer;

/// <summary>The peer's only hub: a client joins the group of each symbol it watches; quotes arrive as <c>quote</c>.</summary>
public sealed class QuoteHub : Hub
{
    public const string Path = "/quotes";
    public const string QuoteMethod = "quote";

    public Task Subscribe(string symbol) => Groups.AddToGroupAsync(Context.ConnectionId, symbol);

    public Task Unsubscribe(string symbol) => Groups.RemoveFromGroupAsync(Context.ConnectionId, symbol);
}
