using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using StackExchange.Redis;

namespace Realtime.QuoteFeed.Demo;

/// <summary>Reads the <c>demo</c> command's options (<c>--rate 20</c> or <c>--rate=20</c>) into <see cref="DemoFeedOptions"/>.</summary>
internal static class DemoFeedArguments
{
    public const int MaxSymbols = 1000;
    public const int MaxRate = 10_000;
    public const int MaxHistory = 10_000;

    public static bool TryParse(
        string[] args,
        [NotNullWhen(true)] out DemoFeedOptions? options,
        [NotNullWhen(false)] out string? error)
    {
        options = new DemoFeedOptions();
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var (name, value) = SplitInlineValue(args[i]);
            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                error = $"unexpected argument '{args[i]}'";
                break;
            }
            if (value is null && i + 1 < args.Length)
            {
                value = args[++i];
            }
            if (value is null)
            {
                error = $"{name} needs a value";
                break;
            }
            (options, error) = Apply(options, name, value);
            if (error is not null)
            {
                break;
            }
        }

        if (error is not null)
        {
            options = null;
            return false;
        }
        return true;
    }

    private static (DemoFeedOptions Options, string? Error) Apply(DemoFeedOptions options, string name, string value) => name switch
    {
        "--redis" => IsRedisEndpoint(value)
            ? (options with { Redis = value }, null)
            : (options, $"--redis must be HOST:PORT (a StackExchange.Redis connection string), not '{value}'"),
        "--queue" => string.IsNullOrWhiteSpace(value)
            ? (options, "--queue must name a Redis list")
            : (options with { Queue = value }, null),
        "--symbols" => Count(value, 1, MaxSymbols) is { } symbols
            ? (options with { Symbols = symbols }, null)
            : (options, RangeError(name, value, 1, MaxSymbols)),
        "--rate" => Count(value, 1, MaxRate) is { } rate
            ? (options with { Rate = rate }, null)
            : (options, RangeError(name, value, 1, MaxRate)),
        "--history" => Count(value, 0, MaxHistory) is { } history
            ? (options with { History = history }, null)
            : (options, RangeError(name, value, 0, MaxHistory)),
        "--ticks" => Count(value, 1, int.MaxValue) is { } ticks
            ? (options with { Ticks = ticks }, null)
            : (options, $"--ticks must be a positive whole number, not '{value}'"),
        "--seed" => int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seed)
            ? (options with { Seed = seed }, null)
            : (options, $"--seed must be a whole number, not '{value}'"),
        _ => (options, $"unknown option '{name}'"),
    };

    private static (string Name, string? Value) SplitInlineValue(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && equals > 2 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
    }

    private static int? Count(string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : null;

    private static string RangeError(string name, string value, int min, int max) =>
        $"{name} must be a whole number from {min} to {max}, not '{value}'";

    private static bool IsRedisEndpoint(string value)
    {
        try
        {
            return ConfigurationOptions.Parse(value).EndPoints.Count > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
