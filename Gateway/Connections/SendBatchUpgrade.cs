using Microsoft.AspNetCore.Http.Features;

namespace Realtime.Gateway.Connections;

/// <summary>
/// Hands ASP.NET Core's WebSocket handshake a <see cref="SendBatchStream"/> over the upgraded connection instead of the
/// connection's own stream, so the WebSocket it accepts (subprotocol, permessage-deflate and all) writes through it.
/// </summary>
/// <remarks>Goes before <c>UseWebSockets</c>, which takes the upgrade feature it finds when a request arrives.</remarks>
internal sealed class SendBatchUpgrade(IHttpUpgradeFeature upgrade) : IHttpUpgradeFeature
{
    public bool IsUpgradableRequest => upgrade.IsUpgradableRequest;

    /// <summary>The stream the accepted WebSocket writes to; null until the upgrade.</summary>
    public SendBatchStream? Stream { get; private set; }

    public async Task<Stream> UpgradeAsync() => Stream = new SendBatchStream(await upgrade.UpgradeAsync());

    /// <summary>An upgrade of <paramref name="http"/> will go through a <see cref="SendBatchStream"/>.</summary>
    public static bool Applies(HttpContext http) => http.Features.Get<IHttpUpgradeFeature>() is SendBatchUpgrade { IsUpgradableRequest: true };

    /// <summary>The batching stream of <paramref name="http"/>'s accepted WebSocket, if it was accepted through one.</summary>
    public static SendBatchStream? Of(HttpContext http) => (http.Features.Get<IHttpUpgradeFeature>() as SendBatchUpgrade)?.Stream;
}

internal static class SendBatchExtensions
{
    /// <summary>WebSockets accepted on <paramref name="path"/> write through a <see cref="SendBatchStream"/>.</summary>
    public static IApplicationBuilder UseSendBatches(this IApplicationBuilder app, PathString path) => app.Use((context, next) =>
    {
        if (context.Request.Path.Equals(path) && context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
        {
            context.Features.Set<IHttpUpgradeFeature>(new SendBatchUpgrade(upgrade));
        }
        return next(context);
    });
}
