namespace Realtime.Hosting.Operations;

/// <summary>Every meter the processes export on <c>/metrics</c>; README's operator section explains each instrument.</summary>
public static class RealtimeMeters
{
    public const string Gateway = "Realtime.Gateway";
    public const string Services = "Realtime.Services";
    public const string Quotes = "Realtime.Quotes";
    public const string Users = "Realtime.Users";

    public static readonly string[] Names =
    [
        Gateway,
        Services,
        Quotes,
        Users,
        "Microsoft.Orleans",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "System.Runtime",
    ];
}
