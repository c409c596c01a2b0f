using Realtime.Gateway.Authentication;
using Realtime.Gateway.Connections;
using Realtime.Gateway.Security;

namespace Realtime.Gateway.WebSockets;

/// <summary>
/// Decides an upgrade before any socket exists: the page's origin (403), a WebSocket handshake at all (400), a gateway
/// still taking connections (503), then the Django session (401 when it is bad, 503 when it cannot be read).
/// </summary>
internal sealed class WebSocketAdmission(OriginPolicy origins, GatewayDrain drain, SessionAuthenticator authenticator, GatewayMetrics metrics)
{
    public async Task<Admission> Admit(UpgradeRequest request)
    {
        // Before the session is used: a page of another site must learn nothing about the user's session.
        if (!origins.Allows(request.Origin))
        {
            return Admission.Refuse(StatusCodes.Status403Forbidden, "This page's origin may not connect here (Gateway:AllowedOrigins).");
        }
        if (!request.IsWebSocketRequest)
        {
            return Admission.Refuse(StatusCodes.Status400BadRequest, "This endpoint takes WebSocket upgrades only.");
        }
        if (drain.IsDraining)
        {
            return Admission.Refuse(StatusCodes.Status503ServiceUnavailable, "This gateway is shutting down; connect to another.");
        }

        var login = await authenticator.Authenticate(request.SessionId);
        if (login.StoreUnavailable)
        {
            metrics.LoginsUnavailable.Add(1);
            return Admission.Refuse(StatusCodes.Status503ServiceUnavailable, $"Login not checked: {login.Refusal}", retryLater: true);
        }
        if (login.UserId is not { } userId)
        {
            metrics.LoginsRefused.Add(1);
            return Admission.Refuse(StatusCodes.Status401Unauthorized, $"Login refused: {login.Refusal}");
        }
        return Admission.Admit(userId);
    }
}
