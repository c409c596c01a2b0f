using System.Globalization;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Realtime.Gateway.Authentication;
using Realtime.Gateway.Security;
using Realtime.Quotes;

namespace Realtime.Gateway.Udf;

/// <summary>
/// TradingView's UDF protocol over HTTP, for the Charting Library's built-in UDF adapter and for anybody with curl:
/// <c>GET /udf/config</c>, <c>/udf/symbols</c>, <c>/udf/search</c>, <c>/udf/history</c> and <c>/udf/time</c>
/// (docs/protocol.md 4). Every request is checked as <c>/ws</c> checks an upgrade: the page's origin first (403),
/// then the Django session from the cookie or <c>?sessionid=</c> (401 when bad, 503 with Retry-After when the session
/// store cannot be read). Bad parameters are answered 400 <c>{s: "error", errmsg}</c> naming the parameter.
/// History comes from the symbol's quote centre: bars only (indicators are the WebSocket chart's).
/// </summary>
internal static class UdfEndpoints
{
    public const string Prefix = "/udf";

    /// <summary>The latest time a request may name, in unix seconds (9999-12-31): beyond it milliseconds overflow nothing, but mean nothing either.</summary>
    private const long MaxSeconds = 253_402_300_799;
    private const int DefaultSearchLimit = 30;
    private const int MaxSearchLimit = 1000;
    private const int MaxQueryLength = 64;

    public static RouteGroupBuilder MapUdf(this IEndpointRouteBuilder endpoints)
    {
        var udf = endpoints.MapGroup(Prefix);
        udf.AddEndpointFilter(CheckOriginAndSession);
        udf.MapGet("/config", Config);
        udf.MapGet("/time", (TimeProvider clock) => Results.Text(clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        udf.MapGet("/symbols", Symbol);
        udf.MapGet("/search", Search);
        udf.MapGet("/history", History);
        return udf;
    }

    /// <summary>The checks of <c>/ws</c>, in its order: nothing about the session is read for a refused origin.</summary>
    private static async ValueTask<object?> CheckOriginAndSession(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var origins = http.RequestServices.GetRequiredService<OriginPolicy>();
        http.Response.Headers.CacheControl = "no-store";
        if (!origins.Allows(http.Request))
        {
            return Error(StatusCodes.Status403Forbidden, "this page's origin may not use this gateway (Gateway:AllowedOrigins)");
        }
        // An allowed page of another origin (the Django site's) reads the answers with the user's cookie.
        if (http.Request.Headers.Origin is { Count: 1 } origin)
        {
            http.Response.Headers.AccessControlAllowOrigin = origin;
            http.Response.Headers.AccessControlAllowCredentials = "true";
            http.Response.Headers.Vary = HeaderNames.Origin;
        }
        var login = await http.RequestServices.GetRequiredService<SessionAuthenticator>().Authenticate(http);
        if (login.StoreUnavailable)
        {
            SessionStoreOutage.AddRetryAfter(http.Response);
            return Error(StatusCodes.Status503ServiceUnavailable, $"login not checked: {login.Refusal}");
        }
        if (login.UserId is null)
        {
            return Error(StatusCodes.Status401Unauthorized, $"login refused: {login.Refusal}");
        }
        return await next(context);
    }

    private static IResult Config() => Results.Json(new
    {
        supported_resolutions = UdfResolution.Supported,
        supports_search = true,
        supports_group_request = false,
        supports_marks = false,
        supports_timescale_marks = false,
        supports_time = true,
        exchanges = Array.Empty<object>(),
        symbols_types = Array.Empty<object>(),
    });

    private static async Task<IResult> Symbol(HttpRequest request, IGrainFactory grains)
    {
        if (!TryReadSymbol(request, out var symbol, out var error))
        {
            return error;
        }
        return await KnownOrError(grains, symbol) ?? Results.Json(SymbolInfo(symbol));
    }

    private static async Task<IResult> Search(HttpRequest request, IGrainFactory grains)
    {
        if (!TryReadSingle(request, "query", out var query, out var error)
            || !TryReadSingle(request, "type", out _, out error)
            || !TryReadSingle(request, "exchange", out _, out error)
            || !TryReadSingle(request, "limit", out var limitText, out error))
        {
            return error;
        }
        query ??= "";
        if (query.Length > MaxQueryLength)
        {
            return BadRequest($"'query' must be at most {MaxQueryLength} characters");
        }
        var limit = DefaultSearchLimit;
        if (limitText is not null && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxSearchLimit))
        {
            return BadRequest($"'limit' must be an integer from 1 to {MaxSearchLimit}");
        }
        string[] symbols;
        try
        {
            symbols = await Catalog(grains).Symbols();
        }
        catch (Exception e) when (IsOutage(e))
        {
            return Unavailable();
        }
        // Symbols that start with the query first, then those that contain it; alphabetical within each.
        var found = symbols
            .Select(s => (Symbol: s, At: s.IndexOf(query, StringComparison.OrdinalIgnoreCase)))
            .Where(s => s.At >= 0)
            .OrderBy(s => s.At == 0 ? 0 : 1)
            .ThenBy(s => s.Symbol, StringComparer.Ordinal)
            .Take(limit)
            .Select(s => new { symbol = s.Symbol, full_name = s.Symbol, description = s.Symbol, exchange = "", ticker = s.Symbol, type = "stock" });
        return Results.Json(found);
    }

    private static async Task<IResult> History(HttpRequest request, IGrainFactory grains, ILoggerFactory loggers)
    {
        if (!TryReadSymbol(request, out var symbol, out var error)
            || !TryReadSingle(request, "resolution", out var resolution, out error)
            || !TryReadSeconds(request, "from", required: false, out var from, out error)
            || !TryReadSeconds(request, "to", required: true, out var to, out error)
            || !TryReadSingle(request, "countback", out var countbackText, out error))
        {
            return error;
        }
        if (!UdfResolution.TryGetPeriod(resolution, out var period))
        {
            return BadRequest($"'resolution' must be one of {string.Join(", ", UdfResolution.Supported)}");
        }
        int? countback = null;
        if (countbackText is not null)
        {
            if (!int.TryParse(countbackText, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                || count is < 1 or > QuoteRules.MaxKeptBars)
            {
                return BadRequest($"'countback' must be an integer from 1 to {QuoteRules.MaxKeptBars}");
            }
            countback = count;
        }
        // countback, when given, outranks from (as in TradingView's getBars); without it the range needs both ends.
        if (countback is null && from is null)
        {
            return BadRequest("'from' (unix seconds) is required unless 'countback' is given");
        }
        if (countback is null && from > to)
        {
            return BadRequest("'from' must not be after 'to'");
        }
        if (await KnownOrError(grains, symbol) is { } unknown)
        {
            return unknown;
        }

        QuoteHistoryPage? page;
        try
        {
            // [from, to): 'to' is the open of the oldest bar the chart already holds when it scrolls left.
            page = await grains.GetGrain<IQuoteCentreGrain>(symbol).GetPage(period,
                countback is null ? from!.Value * 1000 : long.MinValue, to!.Value * 1000, countback ?? int.MaxValue);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            loggers.CreateLogger(typeof(UdfEndpoints)).LogWarning("UDF history of {Symbol} failed: {Error}", symbol, e.Message);
            return Error(StatusCodes.Status503ServiceUnavailable, "the cluster is unavailable; try again");
        }
        if (page is null || page.Bars.IsEmpty)
        {
            // nextTime: where older history resumes, so the chart jumps there instead of asking range after empty range.
            return page?.Older is { } older
                ? Results.Json(new { s = "no_data", nextTime = older / 1000 })
                : Results.Json(new { s = "no_data" });
        }
        var bars = page.Bars;
        return Results.Json(new
        {
            s = "ok",
            t = bars.Select(b => b.Time / 1000),
            o = bars.Select(b => b.Open),
            h = bars.Select(b => b.High),
            l = bars.Select(b => b.Low),
            c = bars.Select(b => b.Close),
            v = bars.Select(b => b.Volume),
        });
    }

    /// <summary>TradingView's LibrarySymbolInfo: a market that never closes, in UTC, priced in cents.</summary>
    internal static object SymbolInfo(string symbol) => new
    {
        name = symbol,
        ticker = symbol,
        full_name = symbol,
        description = symbol,
        type = "stock",
        session = "24x7",
        timezone = "Etc/UTC",
        exchange = "",
        listed_exchange = "",
        format = "price",
        minmov = 1,
        pricescale = 100,
        has_intraday = true,
        has_daily = true,
        has_weekly_and_monthly = false,
        supported_resolutions = UdfResolution.Supported,
        intraday_multipliers = UdfResolution.IntradayMultipliers,
        daily_multipliers = new[] { "1" },
        volume_precision = 0,
        data_status = "streaming",
    };

    private static async Task<IResult?> KnownOrError(IGrainFactory grains, string symbol)
    {
        bool known;
        try
        {
            known = await Catalog(grains).IsKnown(symbol);
        }
        catch (Exception e) when (IsOutage(e))
        {
            return Unavailable();
        }
        return known ? null : Error(StatusCodes.Status404NotFound, $"unknown symbol '{symbol}'");
    }

    private static ISymbolCatalogGrain Catalog(IGrainFactory grains) => grains.GetGrain<ISymbolCatalogGrain>(0);

    /// <summary>The quote store or the cluster could not answer: unavailable, not a refusal.</summary>
    private static bool IsOutage(Exception e) => e is StackExchange.Redis.RedisException or TimeoutException or OrleansException;

    private static IResult Unavailable() => Error(StatusCodes.Status503ServiceUnavailable, "the quote store is unavailable; try again");

    private static bool TryReadSymbol(HttpRequest request, out string symbol, out IResult error)
    {
        symbol = "";
        if (!TryReadSingle(request, "symbol", out var value, out error))
        {
            return false;
        }
        if (!QuoteRules.IsSymbol(value))
        {
            error = BadRequest("'symbol' must be 1-32 characters of A-Z a-z 0-9 . _ -");
            return false;
        }
        symbol = value;
        return true;
    }

    private static bool TryReadSeconds(HttpRequest request, string name, bool required, out long? seconds, out IResult error)
    {
        seconds = null;
        if (!TryReadSingle(request, name, out var text, out error))
        {
            return false;
        }
        if (text is null)
        {
            error = BadRequest($"'{name}' (unix seconds) is required");
            return !required;
        }
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value is < 0 or > MaxSeconds)
        {
            error = BadRequest($"'{name}' must be unix seconds: an integer from 0 to {MaxSeconds}");
            return false;
        }
        seconds = value;
        return true;
    }

    /// <summary>A parameter given at most once (absent: null); given twice it is an error, not a guess.</summary>
    private static bool TryReadSingle(HttpRequest request, string name, out string? value, out IResult error)
    {
        value = null;
        error = null!;
        if (!request.Query.TryGetValue(name, out var values) || StringValues.IsNullOrEmpty(values))
        {
            return true;
        }
        if (values.Count > 1)
        {
            error = BadRequest($"'{name}' is given more than once");
            return false;
        }
        value = values.ToString();
        return true;
    }

    private static IResult BadRequest(string message) => Error(StatusCodes.Status400BadRequest, message);

    private static IResult Error(int status, string message) => Results.Json(new { s = "error", errmsg = message }, statusCode: status);
}
