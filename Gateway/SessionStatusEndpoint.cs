using Microsoft.Net.Http.Headers;
using Realtime.Gateway.Authentication;
using Realtime.Gateway.Security;

namespace Realtime.Gateway;

/// <summary>
/// <c>GET /ws/session</c>: the login check of <c>/ws</c> without the upgrade, answering 204 (the session logs in), 401
/// (it does not), 403 (the page's origin is not allowed) or 503 with Retry-After (the session store cannot be read).
/// A browser is not shown the HTTP status of a refused WebSocket handshake, so the browser library asks here after
/// one fails, to tell a bad session (stop) from an outage (retry). The body is empty: nothing about the user leaks.
/// </summary>
internal static class SessionStatusEndpoint
{
    public const string Path = "/ws/session";

    public static IEndpointConventionBuilder MapSessionStatus(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(Path, Check);

    private static async Task<IResult> Check(HttpContext http, OriginPolicy origins, SessionAuthenticator authenticator)
    {
        http.Response.Headers.CacheControl = "no-store";
        // Any page may read the answer (CORS with the cookie): a foreign one only ever reads 403, decided before the
        // session is looked at, and an allowed one of another origin (the Django site's) needs it to stop on a 401.
        if (http.Request.Headers.Origin is { Count: 1 } origin)
        {
            http.Response.Headers.AccessControlAllowOrigin = origin;
            http.Response.Headers.AccessControlAllowCredentials = "true";
            http.Response.Headers.Vary = HeaderNames.Origin;
        }
        if (!origins.Allows(http.Request))
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        var login = await authenticator.Authenticate(http);
        if (login.StoreUnavailable)
        {
            SessionStoreOutage.AddRetryAfter(http.Response);
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }
        return Results.StatusCode(login.UserId is null ? StatusCodes.Status401Unauthorized : StatusCodes.Status204NoContent);
    }
}
