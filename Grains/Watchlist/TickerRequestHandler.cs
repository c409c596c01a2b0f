using Microsoft.Extensions.Logging;
using Realtime.Connections;
using Realtime.Quotes;
using Realtime.Topics;
using Realtime.Users;

namespace Realtime.Watchlist;

/// <summary>
/// <c>ticker</c>: subscribe to (or unsubscribe from) the watchlist lines of up to
/// <see cref="WatchlistAgent.MaxSymbolsPerConnection"/> symbols. Lines arrive on the symbols' topics (a snapshot each,
/// then updates); this answers only what is wrong, and the end of an unsubscribe.
/// </summary>
internal sealed class TickerRequestHandler(ILogger<TickerRequestHandler> logger) : IUserMessageHandler
{
    public string Type => "ticker";

    public async Task Handle(UserMessageContext context)
    {
        if (!context.TryReadData<TickerRequest>(out var request))
        {
            return;
        }
        if (request.Symbols is not { Length: > 0 } symbols || symbols.Any(s => !QuoteRules.IsSymbol(s)))
        {
            context.Error(ErrorCodes.InvalidData, "'symbols' must be a non-empty array of symbols (1-32 characters of A-Z a-z 0-9 . _ -).");
            return;
        }
        symbols = [.. symbols.Distinct(StringComparer.Ordinal)];
        var agent = context.Modules.GetOrCreate(() => new WatchlistAgent(context.GrainFactory, logger));
        switch (request.Action)
        {
            case "subscribe":
                await Subscribe(context, agent, symbols, request.Resume, request.MaxRate);
                break;
            case "unsubscribe":
                foreach (var symbol in symbols)
                {
                    await agent.Unsubscribe(context.InstanceId, symbol);
                }
                context.Reply(TickerFrames.Unsubscribed, new { symbols });
                break;
            default:
                context.Error(ErrorCodes.InvalidData, "'action' must be subscribe or unsubscribe.");
                break;
        }
    }

    private static async Task Subscribe(UserMessageContext context, WatchlistAgent agent, string[] symbols, Dictionary<string, TickerResumeRequest>? resume, double? maxRate)
    {
        if (!SubscriptionRate.IsValid(maxRate))
        {
            context.Error(ErrorCodes.InvalidData, SubscriptionRate.Error);
            return;
        }
        if (!TryReadResume(resume, symbols, out var positions, out var resumeError))
        {
            context.Error(ErrorCodes.InvalidData, resumeError);
            return;
        }
        var adding = symbols.Count(s => !agent.Watches(context.InstanceId, s));
        if (agent.Count(context.InstanceId) + adding > WatchlistAgent.MaxSymbolsPerConnection)
        {
            context.Error(ErrorCodes.LimitExceeded, $"At most {WatchlistAgent.MaxSymbolsPerConnection} symbols may be watched on one connection; this one watches {agent.Count(context.InstanceId)}.");
            return;
        }
        if (context.Connection is not { } connection)
        {
            context.Error(ErrorCodes.Unavailable, "This connection is not registered yet; try again in a moment.");
            return;
        }
        var failed = new Dictionary<OpenOutcome, List<string>>();
        foreach (var symbol in symbols)
        {
            var outcome = await agent.Subscribe(connection, symbol, positions.GetValueOrDefault(symbol), context.Message.IdJson, maxRate);
            if (outcome != OpenOutcome.Opened)
            {
                (failed.TryGetValue(outcome, out var list) ? list : failed[outcome] = []).Add(symbol);
            }
        }
        if (failed.GetValueOrDefault(OpenOutcome.NotFound) is { } unknown)
        {
            context.Error(ErrorCodes.NotFound, $"Unknown symbols: {string.Join(", ", unknown)}; the others are subscribed.");
        }
        if (failed.GetValueOrDefault(OpenOutcome.Unreachable) is { } unreachable)
        {
            context.Error(ErrorCodes.Unavailable, $"Could not reach this connection's gateway for {string.Join(", ", unreachable)}; subscribe to them again in a moment.");
        }
    }

    private static bool TryReadResume(Dictionary<string, TickerResumeRequest>? requested, string[] symbols, out Dictionary<string, TopicPosition> positions, out string error)
    {
        positions = new Dictionary<string, TopicPosition>(StringComparer.Ordinal);
        error = "'resume' must map subscribed symbols to {epoch: string, seq: number >= 0}.";
        foreach (var (symbol, position) in requested ?? [])
        {
            if (!symbols.Contains(symbol) || position?.Epoch is not { Length: > 0 and <= 64 } epoch || position.Seq is not >= 0)
            {
                return false;
            }
            positions[symbol] = new TopicPosition(epoch, position.Seq.Value);
        }
        return true;
    }
}
