namespace Realtime.Hosting.Operations;

/// <summary>Every meter the processes export on <c>/metrics</c>; README's operator section explains each instrument.</summary>
public static class RealtimeMeters
{
    public static readonly string[] Names =
    [
        "Realtime.Gateway",
        Services.ServiceMetrics.MeterName,
        Quotes.QuoteMetrics.MeterName,
        Users.UserMetrics.MeterName,
        "Microsoft.Orleans",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "System.Runtime",
    ];
}
