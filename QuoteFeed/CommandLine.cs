using Realtime.QuoteFeed.Demo;
using Realtime.QuoteFeed.Indicators;

namespace Realtime.QuoteFeed;

/// <summary>Chooses the subcommand. Exit codes: 0 done, 1 a runtime failure (Redis unreachable), 2 bad usage.</summary>
internal static class CommandLine
{
    public static async Task<int> Run(
        string[] args,
        TextReader? stdin,
        TextWriter stdout,
        TextWriter stderr,
        CancellationToken cancellationToken)
    {
        switch (args.FirstOrDefault())
        {
            case null or "--help" or "-h" or "help":
                stdout.Write(Usage.Text);
                return ExitCodes.Success;
            case "demo":
                return await DemoCommand.Run(args[1..], stdout, stderr, cancellationToken);
            case "indicators":
                return IndicatorsCommand.Run(args[1..], stdin, stdout, stderr);
            default:
                stderr.WriteLine($"unknown command '{args[0]}'");
                stderr.Write(Usage.Text);
                return ExitCodes.BadUsage;
        }
    }
}
