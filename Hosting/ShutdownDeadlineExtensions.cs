using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Realtime.Hosting;

public static class ShutdownDeadlineExtensions
{
    // Held here so the timer lives as long as the process: an unreferenced timer may be collected before it fires.
    private static Timer? _deadline;

    /// <summary>Sets the host's shutdown timeout to <see cref="ShutdownDeadline.Graceful"/> and records the deadline.</summary>
    public static IHostApplicationBuilder AddShutdownDeadline(this IHostApplicationBuilder builder, ShutdownDeadline deadline)
    {
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = deadline.Graceful);
        builder.Services.AddSingleton(deadline);
        return builder;
    }

    /// <summary>
    /// Ends the process if it still runs <see cref="ShutdownDeadline.Limit"/> after shutdown began. Only for a
    /// program's own process: tests host silos and gateways inside theirs.
    /// </summary>
    public static void EnforceShutdownDeadline(this IHost host)
    {
        var deadline = host.Services.GetRequiredService<ShutdownDeadline>();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ShutdownDeadline).FullName!);
        lifetime.ApplicationStopping.Register(() =>
            _deadline ??= new Timer(_ => CutShort(deadline, logger), null, deadline.Limit, Timeout.InfiniteTimeSpan));
    }

    private static void CutShort(ShutdownDeadline deadline, ILogger logger)
    {
        logger.LogError("Shutdown still running after {Limit}; exiting without waiting for the rest", deadline.Limit);
        // The console logger writes on a thread of its own, which the exit may not wait for.
        Console.Error.WriteLine($"Shutdown still running after {deadline.Limit}; exiting without waiting for the rest");
        Environment.Exit(ShutdownDeadline.CutShortExitCode);
    }
}
