using System.Text.Json;
using Microsoft.Extensions.Options;
using Realtime.Presence;
using Realtime.Services;

namespace Realtime.Gateway.Api;

/// <summary>
/// The HTTP API beside the service queue, for backends that cannot reach Redis (docs/protocol.md 3): the <c>site</c>
/// instructions (push, broadcast, logout) and presence queries. Every request needs the API key (401 otherwise);
/// a body is at most <c>Api:MaxBodyBytes</c> (413); a bad body is answered 400 naming its field; a cluster that cannot
/// be reached, 503. Instructions are read by the <c>site</c> service handler's parser and carried out by its code, in
/// a silo (<see cref="ISiteGrain"/>), so the queue and the API cannot drift apart.
/// </summary>
internal static class ApiEndpoints
{
    public const string Prefix = "/api";
    public const int DefaultPageSize = 1000;
    public const int MaxPageSize = 10_000;
    private static readonly TimeSpan ClusterTimeout = TimeSpan.FromSeconds(10);

    public static IEndpointRouteBuilder MapRealtimeApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(Prefix).AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            http.Response.Headers.CacheControl = "no-store";
            if (!http.RequestServices.GetRequiredService<ApiKey>().Allows(http.Request))
            {
                http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiEndpoints))
                    .LogWarning("Refused {Method} {Path} from {Address}: missing or wrong API key", http.Request.Method, http.Request.Path.Value, http.Connection.RemoteIpAddress);
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return ApiResults.Error(StatusCodes.Status401Unauthorized, "Send the API key as 'Authorization: Bearer <key>'.");
            }
            return await next(context);
        });
        api.MapPost("/push", Push);
        api.MapPost("/broadcast", Broadcast);
        api.MapPost("/logout", Logout);
        api.MapPost("/presence", Query);
        api.MapGet("/presence", Online);
        return endpoints;
    }

    private static Task<IResult> Push(HttpContext http, IGrainFactory grains) => Site(http, grains, SiteCommand.Push);

    private static Task<IResult> Broadcast(HttpContext http, IGrainFactory grains) => Site(http, grains, SiteCommand.Broadcast);

    private static Task<IResult> Logout(HttpContext http, IGrainFactory grains) => Site(http, grains, SiteCommand.Logout);

    private static async Task<IResult> Site(HttpContext http, IGrainFactory grains, string action)
    {
        var (body, refusal) = await ReadBody(http);
        using (body)
        {
            if (refusal is not null)
            {
                return refusal;
            }
            if (body is null)
            {
                return ApiResults.BadField(new FieldError("", "must be a JSON object"));
            }
            if (!SiteCommandParser.TryParse(action, body.RootElement, out var command, out var error))
            {
                return ApiResults.BadField(error);
            }
            return await OrUnavailable(http, async () =>
            {
                await grains.GetGrain<ISiteGrain>(ISiteGrain.AnyKey).Execute(command).WaitAsync(ClusterTimeout, http.RequestAborted);
                return Results.NoContent();
            });
        }
    }

    private static async Task<IResult> Query(HttpContext http, IGrainFactory grains)
    {
        var (body, refusal) = await ReadBody(http);
        using (body)
        {
            if (refusal is not null)
            {
                return refusal;
            }
            if (!PresenceQuery.TryParse(body?.RootElement, out var query, out var error))
            {
                return ApiResults.BadField(error);
            }
            return await OrUnavailable(http, async () =>
            {
                var answer = await Presence(grains).Query(query).WaitAsync(ClusterTimeout, http.RequestAborted);
                return ApiResults.Json(answer.WriteJson);
            });
        }
    }

    private static async Task<IResult> Online(HttpContext http, IGrainFactory grains)
    {
        var after = http.Request.Query["after"];
        var limitText = http.Request.Query["limit"];
        if (after.Count > 1 || (after.Count == 1 && after[0] is not { Length: > 0 and <= JsonFields.MaxUserIdLength }))
        {
            return ApiResults.BadField(new FieldError("after", $"must be one user id of 1 to {JsonFields.MaxUserIdLength} characters"));
        }
        var limit = DefaultPageSize;
        if (limitText.Count > 0 && (limitText.Count > 1 || !int.TryParse(limitText[0], out limit) || limit is < 1 or > MaxPageSize))
        {
            return ApiResults.BadField(new FieldError("limit", $"must be one number from 1 to {MaxPageSize}"));
        }
        return await OrUnavailable(http, async () =>
        {
            var page = await Presence(grains).Online(after.Count == 1 ? after[0] : null, limit).WaitAsync(ClusterTimeout, http.RequestAborted);
            return ApiResults.Json(page.WriteJson);
        });
    }

    private static Task<(JsonDocument? Body, IResult? Refusal)> ReadBody(HttpContext http) =>
        ApiBody.Read(http.Request, http.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.MaxBodyBytes, http.RequestAborted);

    private static IPresenceGrain Presence(IGrainFactory grains) => grains.GetGrain<IPresenceGrain>(IPresenceGrain.SingletonKey);

    /// <summary>Runs a cluster call; any failure of the cluster (a timeout, no silo, a gateway unreachable) is 503, to be retried.</summary>
    private static async Task<IResult> OrUnavailable(HttpContext http, Func<Task<IResult>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested)
        {
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiEndpoints))
                .LogWarning("{Method} {Path} could not reach the cluster: {Error}", http.Request.Method, http.Request.Path.Value, e.Message);
            return ApiResults.Unavailable(http);
        }
    }
}
