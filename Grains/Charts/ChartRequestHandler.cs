using Microsoft.Extensions.Logging;
using Realtime.Connections;
using Realtime.Modules;
using Realtime.Quotes;
using Realtime.Topics;
using Realtime.Users;

namespace Realtime.Charts;

/// <summary>
/// <c>mychart</c>: open a chart (static: history once; dynamic: history then live updates), change its symbol,
/// period or indicators, or close it. Every bad request gets an <c>error</c> frame naming what is wrong.
/// </summary>
internal sealed class ChartRequestHandler(ILogger<ChartRequestHandler> logger) : IUserMessageHandler
{
    public const int DefaultCount = 300;

    public string Type => "mychart";

    public async Task Handle(UserMessageContext context)
    {
        if (!context.TryReadData<ChartRequest>(out var request))
        {
            return;
        }
        if (request.ChartId is not { Length: > 0 and <= 64 } chartId)
        {
            context.Error(ErrorCodes.InvalidData, "'chartId' must be a string of 1 to 64 characters.");
            return;
        }
        var agent = context.Modules.GetOrCreate(() => new ChartAgent(context.GrainFactory, logger));
        switch (request.Action)
        {
            case "open":
                await Open(context, agent, chartId, request);
                break;
            case "change":
                await Change(context, agent, chartId, request);
                break;
            case "close":
                if (agent.Find(context.InstanceId, chartId) is null)
                {
                    context.Error(ErrorCodes.NotFound, $"No chart '{chartId}' is open.");
                    return;
                }
                await agent.Close(context.InstanceId, chartId);
                context.Reply(ChartFrames.Closed, new { chartId });
                break;
            default:
                context.Error(ErrorCodes.InvalidData, "'action' must be open, change or close.");
                break;
        }
    }

    private static async Task Open(UserMessageContext context, ChartAgent agent, string chartId, ChartRequest request)
    {
        if (agent.Find(context.InstanceId, chartId) is not null)
        {
            context.Error(ErrorCodes.InvalidData, $"A chart '{chartId}' is already open; close or change it.");
            return;
        }
        if (!TryReadMode(request.Mode, out var dynamic, out var modeError)
            || !TryReadCount(request.Count, out var count, out modeError)
            || !TryReadResume(request.Resume, out var resume, out modeError)
            || !TryReadMaxRate(request.MaxRate, out modeError))
        {
            context.Error(ErrorCodes.InvalidData, modeError);
            return;
        }
        // A static chart is answered once and holds nothing, so only dynamic ones count.
        if (dynamic && agent.Count >= ChartAgent.MaxOpenCharts)
        {
            context.Error(ErrorCodes.LimitExceeded, $"At most {ChartAgent.MaxOpenCharts} dynamic charts may be open at once.");
            return;
        }
        if (!ChartSpec.TryCreate(request.Symbol, request.Period, request.Indicators, out var spec, out var error))
        {
            context.Error(ErrorCodes.InvalidData, error);
            return;
        }
        if (context.Connection is not { } connection)
        {
            context.Error(ErrorCodes.Unavailable, "This connection is not registered yet; try again in a moment.");
            return;
        }
        await OpenSpec(context, agent, new OpenChart(chartId, spec, connection, dynamic, count, request.MaxRate), resume);
    }

    private static async Task Change(UserMessageContext context, ChartAgent agent, string chartId, ChartRequest request)
    {
        if (agent.Find(context.InstanceId, chartId) is not { } open)
        {
            context.Error(ErrorCodes.NotFound, $"No chart '{chartId}' is open.");
            return;
        }
        if (request.Mode is not null || request.Resume is not null)
        {
            context.Error(ErrorCodes.InvalidData, "'change' takes symbol, period, indicators, count and maxRate; open a new chart for another mode.");
            return;
        }
        if (!TryReadMaxRate(request.MaxRate, out var rateError))
        {
            context.Error(ErrorCodes.InvalidData, rateError);
            return;
        }
        if (!TryReadCount(request.Count ?? open.Count, out var count, out var countError))
        {
            context.Error(ErrorCodes.InvalidData, countError);
            return;
        }
        if (!ChartSpec.TryCreate(request.Symbol ?? open.Spec.Symbol, request.Period ?? open.Spec.Period,
                request.Indicators ?? [.. open.Spec.Indicators], out var spec, out var error))
        {
            context.Error(ErrorCodes.InvalidData, error);
            return;
        }
        await agent.Close(context.InstanceId, chartId);
        await OpenSpec(context, agent, open with { Spec = spec, Count = count, MaxRate = request.MaxRate ?? open.MaxRate }, null);
    }

    private static async Task OpenSpec(UserMessageContext context, ChartAgent agent, OpenChart chart, ChartResume? resume)
    {
        // The chart grain sends the snapshot itself, the way its updates go; only a failure is answered from here.
        switch (await agent.Open(chart, context.Message.IdJson, resume))
        {
            case OpenOutcome.NotFound:
                context.Error(ErrorCodes.NotFound, $"Unknown symbol '{chart.Spec.Symbol}'.");
                break;
            case OpenOutcome.Unreachable:
                context.Error(ErrorCodes.Unavailable, "The chart could not reach this connection's gateway; open it again in a moment.");
                break;
        }
    }

    private static bool TryReadMode(string? mode, out bool dynamic, out string error)
    {
        dynamic = mode is null or "dynamic";
        error = "'mode' must be static or dynamic.";
        return mode is null or "dynamic" or "static";
    }

    private static bool TryReadCount(int? requested, out int count, out string error)
    {
        count = requested ?? DefaultCount;
        error = $"'count' must be 1 to {QuoteRules.MaxHistoryBars}.";
        return count is > 0 and <= QuoteRules.MaxHistoryBars;
    }

    private static bool TryReadMaxRate(double? requested, out string error)
    {
        error = SubscriptionRate.Error;
        return SubscriptionRate.IsValid(requested);
    }

    private static bool TryReadResume(ChartResumeRequest? requested, out ChartResume? resume, out string error)
    {
        resume = null;
        error = "'resume' must be {epoch: string, seq: number >= 0}.";
        if (requested is null)
        {
            return true;
        }
        if (requested.Epoch is not { Length: > 0 and <= 64 } epoch || requested.Seq is not >= 0)
        {
            return false;
        }
        resume = new ChartResume(epoch, requested.Seq.Value);
        return true;
    }
}
