using Realtime.Quotes;

namespace Realtime.Users;

/// <summary><c>symbols</c>: every symbol the server holds quotes for, so a client can offer them.</summary>
internal sealed class SymbolsHandler(QuoteHistoryStore store) : IUserMessageHandler
{
    public string Type => "symbols";

    public async Task Handle(UserMessageContext context) =>
        context.Reply("symbols", new { symbols = await store.Symbols() });
}
