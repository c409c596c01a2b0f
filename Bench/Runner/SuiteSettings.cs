using Realtime.Bench.Scenarios;

namespace Realtime.Bench.Runner;

/// <summary>
/// Everything one comparison run uses, the same for both servers. Defaults are the targets; every value can
/// be changed on the command line (Bench/run.sh --help lists them).
/// </summary>
internal sealed class SuiteSettings
{
    public const string Queue = "queue:rtserver";

    // Sockets the runner and each server need besides client connections: Redis, Orleans, logs, the runtime.
    private const int DescriptorsKeptFree = 500;

    public SuiteSettings(BenchArguments args)
    {
        Redis = args.Text("redis", "127.0.0.1:6379");
        Servers = args.Text("servers", "ours,peer").Split(',');
        Scenarios = args.Text("scenarios", "pump,idle,latency,fanout").Split(',');
        var warmup = TimeSpan.FromSeconds(args.Number("warmup", 15));
        var duration = TimeSpan.FromSeconds(args.Number("seconds", 20));
        Latency = new StreamSettings("latency", "LAT", args.Int("latency-clients", 1000), args.Int("latency-symbols", 50), args.Number("latency-rate", 1000), warmup, duration);
        FanOut = new StreamSettings("fan-out", "FAN", args.Int("fanout-clients", 10_000), args.Int("fanout-symbols", 10), args.Number("fanout-rate", 250), warmup, duration);
        RequestedIdle = args.Int("idle-connections", 20_000);
        IdleConnections = Math.Min(RequestedIdle, OpenFileLimit() - DescriptorsKeptFree);
        IdleHold = TimeSpan.FromSeconds(args.Number("idle-hold", 0));
        PumpMessages = args.Int("pump-messages", 200_000);
        PumpSymbols = args.Int("pump-symbols", 50);
        PumpWarmup = args.Int("pump-warmup", 100_000);
        PerfMap = args.Flag("perf-map");
        ServerLogLevel = args.Text("server-log-level", "Warning");
        Markdown = args.Text("markdown", "");
        var root = args.Text("repo", FindRepository());
        var configuration = args.Text("configuration", "Release");
        SiloDll = Path.Combine(root, "Silo", "bin", configuration, "net10.0", "Realtime.Orleans.Silo.dll");
        GatewayDll = Path.Combine(root, "Gateway", "bin", configuration, "net10.0", "Realtime.Orleans.Gateway.dll");
        PeerDll = Path.Combine(root, "Bench", "SignalRPeer", "bin", configuration, "net10.0", "Realtime.Orleans.Bench.SignalRPeer.dll");
        LogDirectory = args.Text("logs", Directory.CreateTempSubdirectory("realtime-bench-").FullName);
        args.RejectUnknown();
    }

    public string Redis { get; }

    public string[] Servers { get; }

    public string[] Scenarios { get; }

    public StreamSettings Latency { get; }

    public StreamSettings FanOut { get; }

    public int RequestedIdle { get; }

    /// <summary>The requested idle connections, or fewer when this process may not open that many sockets.</summary>
    public int IdleConnections { get; }

    /// <summary>How long idle connections stay open after they were measured, for taking a heap dump meanwhile.</summary>
    public TimeSpan IdleHold { get; }

    public int PumpMessages { get; }

    public int PumpSymbols { get; }

    /// <summary>Quotes drained, untimed, before the timed load: the servers' code is compiled and warm by then.</summary>
    public int PumpWarmup { get; }

    /// <summary>Servers write /tmp/perf-PID.map so <c>perf</c> can name JIT-compiled frames in a profile (slightly slower).</summary>
    public bool PerfMap { get; }

    /// <summary>Where to write the result table as Markdown too; empty for the console only.</summary>
    public string Markdown { get; }

    /// <summary>The servers' log level; Information logs every connection, which then counts as server work.</summary>
    public string ServerLogLevel { get; }

    public string SiloDll { get; }

    public string GatewayDll { get; }

    public string PeerDll { get; }

    public string LogDirectory { get; }

    public bool Runs(string scenario) => Scenarios.Contains(scenario);

    /// <summary>Settings every server process gets: production mode and warnings only (a log line per connection would be measured too).</summary>
    public Dictionary<string, string> ServerEnvironment()
    {
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = ServerLogLevel,
        };
        if (PerfMap)
        {
            environment["DOTNET_PerfMapEnabled"] = "1";
            // With W^X on, JIT code runs from a memfd mapping perf cannot match to the map file.
            environment["DOTNET_EnableWriteXorExecute"] = "0";
        }
        return environment;
    }

    /// <summary>The soft RLIMIT_NOFILE of this process, which the servers it starts inherit.</summary>
    public static int OpenFileLimit()
    {
        var line = File.ReadLines("/proc/self/limits").First(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var soft = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return soft == "unlimited" ? int.MaxValue : int.Parse(soft);
    }

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Realtime.Orleans.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Realtime.Orleans.sln not found above " + AppContext.BaseDirectory + "; pass --repo");
    }
}
