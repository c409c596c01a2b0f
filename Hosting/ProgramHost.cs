using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Realtime.Hosting;

/// <summary>
/// Runs a program's host (the silo, the gateway). A wrong setting, found while the host is built or before it starts,
/// ends the process with one line on stderr naming the key and <see cref="ConfigurationErrorExitCode"/>: an operator
/// reads the line, not a stack trace.
/// </summary>
public static class ProgramHost
{
    /// <summary>The exit code of a process refused by its configuration (as the quote feed's bad arguments).</summary>
    public const int ConfigurationErrorExitCode = 2;

    public static int Run(Func<IHost> build)
    {
        IHost host;
        try
        {
            host = build();
            foreach (var check in host.Services.GetServices<IStartupCheck>())
            {
                check.Check();
            }
            host.Services.GetService<IStartupValidator>()?.Validate();
        }
        catch (Exception e) when (Describe(e) is { } problem)
        {
            Console.Error.WriteLine($"configuration error: {problem}");
            return ConfigurationErrorExitCode;
        }
        using (host)
        {
            try
            {
                host.EnforceShutdownDeadline();
                host.Run();
            }
            catch (Exception e) when (Describe(e) is { } problem)
            {
                // Orleans validates some of its own options only as the silo starts.
                Console.Error.WriteLine($"configuration error: {problem}");
                return ConfigurationErrorExitCode;
            }
        }
        return 0;
    }

    /// <summary>The one-line description of a configuration error, or null when <paramref name="e"/> is not one.</summary>
    private static string? Describe(Exception e) => e switch
    {
        OptionsValidationException options => string.Join("; ", options.Failures),
        StartupConfigurationException or OrleansConfigurationException => OneLine(e.Message),
        // The binder's "Failed to convert configuration value at 'Key' to type ..." names the key.
        InvalidOperationException { Source: "Microsoft.Extensions.Configuration.Binder" } => OneLine(e.Message),
        AggregateException aggregate when aggregate.InnerExceptions.Select(Describe).ToArray() is var all && all.All(d => d is not null) =>
            string.Join("; ", all),
        _ => null,
    };

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
