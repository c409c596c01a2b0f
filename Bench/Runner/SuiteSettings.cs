using Realtime.Bench.Protocols;
using Realtime.Bench.Scenarios;

namespace Realtime.Bench.Runner;

/// <summary>
/// Everything one comparison run uses, the same for both servers. Defaults are the issue's targets; every value can
/// be changed on the command line (Bench/run.sh --help lists them).
/// </summary>
internal sealed class SuiteSettings
{
    public const string Queue = "queue:rtserver";

    public const string Ours = "ours";
    public const string SignalR = "signalr";
    public const string SocketIo = "socketio";

    /// <summary>Our topologies (--topology): one silo serving WebSockets itself, or a silo and a gateway process.</summary>
    public const string EmbeddedTopology = "embedded";
    public const string SeparateTopology = "separate";

    /// <summary>The scenarios in the order a run takes them; --scenarios picks some.</summary>
    public static readonly string[] AllScenarios = ["pump", "idle", "latency", "wire", "fanout", "capacity"];

    private static readonly string[] AllServers = [Ours, SignalR, SocketIo];

    // Sockets the runner and each server need besides client connections: Redis, Orleans, logs, the runtime.
    private const int DescriptorsKeptFree = 500;

    public SuiteSettings(BenchArguments args)
    {
        Redis = args.Text("redis", "127.0.0.1:6379");
        // "peer" was the SignalR peer's name when it was the only one.
        Servers = [.. args.Text("servers", string.Join(',', AllServers)).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => s == "peer" ? SignalR : s).Distinct()];
        if (Servers.FirstOrDefault(s => !AllServers.Contains(s)) is { } unknownServer)
        {
            throw new ArgumentException($"--servers: '{unknownServer}' is none of {string.Join(", ", AllServers)}");
        }
        Scenarios = args.Text("scenarios", string.Join(',', AllScenarios)).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (Scenarios.FirstOrDefault(s => !AllScenarios.Contains(s)) is { } unknownScenario)
        {
            throw new ArgumentException($"--scenarios: '{unknownScenario}' is none of {string.Join(", ", AllScenarios)}");
        }
        var warmup = TimeSpan.FromSeconds(args.Number("warmup", 15));
        var duration = TimeSpan.FromSeconds(args.Number("seconds", 20));
        Latency = new StreamSettings("latency", "LAT", args.Int("latency-clients", 1000), args.Int("latency-symbols", 50), args.Number("latency-rate", 1000), warmup, duration);
        Wire = new StreamSettings("wire", "WIRE", args.Int("wire-clients", 200), args.Int("wire-symbols", 20), args.Number("wire-rate", 200), warmup, duration);
        FanOut = new StreamSettings("fan-out", "FAN", args.Int("fanout-clients", 10_000), args.Int("fanout-symbols", 10), args.Number("fanout-rate", 250), warmup, duration);
        Capacity = new CapacitySettings(
            args.Int("capacity-clients", FanOut.Clients),
            args.Int("capacity-symbols", FanOut.Symbols),
            args.Number("capacity-start", 100),
            args.Number("capacity-factor", 1.25),
            args.Number("capacity-max", 1000),
            args.Int("capacity-refine", 2),
            TimeSpan.FromSeconds(args.Number("capacity-warmup", 5)),
            TimeSpan.FromSeconds(args.Number("capacity-seconds", 10)));
        RequestedIdle = args.Int("idle-connections", 20_000);
        IdleConnections = Math.Min(RequestedIdle, OpenFileLimit() - DescriptorsKeptFree);
        IdleHold = TimeSpan.FromSeconds(args.Number("idle-hold", 0));
        PumpMessages = args.Int("pump-messages", 200_000);
        PumpSymbols = args.Int("pump-symbols", 50);
        PumpWarmup = args.Int("pump-warmup", 100_000);
        Retries = args.Int("retries", 1);
        PerfMap = args.Flag("perf-map");
        ServerLogLevel = args.Text("server-log-level", "Warning");
        SiloEnvironment = EnvironmentList("silo-env", args.Text("silo-env", ""));
        GatewayEnvironment = EnvironmentList("gateway-env", args.Text("gateway-env", ""));
        Topology = args.Text("topology", EmbeddedTopology);
        if (Topology is not (EmbeddedTopology or SeparateTopology))
        {
            throw new ArgumentException($"--topology: '{Topology}' is neither {EmbeddedTopology} nor {SeparateTopology}");
        }
        Form = args.Text("form", "compact") switch
        {
            "compact" => RealtimeForm.Compact,
            "json" => RealtimeForm.Json,
            var other => throw new ArgumentException($"--form: '{other}' is neither compact nor json"),
        };
        Markdown = args.Text("markdown", "");
        var root = args.Text("repo", FindRepository());
        var configuration = args.Text("configuration", "Release");
        SiloDll = Path.Combine(root, "Silo", "bin", configuration, "net10.0", "Realtime.Orleans.Silo.dll");
        GatewayDll = Path.Combine(root, "Gateway", "bin", configuration, "net10.0", "Realtime.Orleans.Gateway.dll");
        PeerDll = Path.Combine(root, "Bench", "SignalRPeer", "bin", configuration, "net10.0", "Realtime.Orleans.Bench.SignalRPeer.dll");
        SocketIoPeerDirectory = Path.Combine(root, "Bench", "SocketIoPeer");
        SocketIoWorkers = args.Int("socketio-workers", Environment.ProcessorCount);
        var logs = args.Text("logs", "");
        LogDirectory = logs.Length > 0 ? Directory.CreateDirectory(logs).FullName : Directory.CreateTempSubdirectory("realtime-bench-").FullName;
        args.RejectUnknown();
    }

    public string Redis { get; }

    public string[] Servers { get; }

    public string[] Scenarios { get; }

    public StreamSettings Latency { get; }

    /// <summary>
    /// Bytes per update in each form of our protocol (docs/protocol.md 1.13: compact, JSON, compact with
    /// permessage-deflate) and the server CPU of each, on one deployment (--wire-clients, --wire-symbols, --wire-rate).
    /// </summary>
    public StreamSettings Wire { get; }

    public StreamSettings FanOut { get; }

    /// <summary>
    /// The capacity search (quotes/s: --capacity-start, --capacity-factor, --capacity-max; --capacity-refine steps
    /// between the last rate sustained and the first not; each step --capacity-warmup + --capacity-seconds), with the
    /// fan-out scenario's clients and symbols unless --capacity-clients / --capacity-symbols say otherwise.
    /// </summary>
    public CapacitySettings Capacity { get; }

    public int RequestedIdle { get; }

    /// <summary>The requested idle connections, or fewer when this process may not open that many sockets.</summary>
    public int IdleConnections { get; }

    /// <summary>How long idle connections stay open after they were measured, for taking a heap dump meanwhile.</summary>
    public TimeSpan IdleHold { get; }

    public int PumpMessages { get; }

    public int PumpSymbols { get; }

    /// <summary>Quotes drained, untimed, before the timed load: the servers' code is compiled and warm by then.</summary>
    public int PumpWarmup { get; }

    /// <summary>How often a scenario that did not finish is tried again on fresh servers before the run goes on.</summary>
    public int Retries { get; }

    /// <summary>Servers write /tmp/perf-PID.map so <c>perf</c> can name JIT-compiled frames in a profile (slightly slower).</summary>
    public bool PerfMap { get; }

    /// <summary>Where to write the result table as Markdown too; empty for the console only.</summary>
    public string Markdown { get; }

    /// <summary>The servers' log level; Information logs every connection, which then counts as server work.</summary>
    public string ServerLogLevel { get; }

    /// <summary>
    /// Extra environment for our silo (--silo-env "DOTNET_GCgen0size=0x400000;DOTNET_GCConserveMemory=5"): runtime
    /// settings such as the GC's tried on one process without a rebuild.
    /// </summary>
    public IReadOnlyDictionary<string, string> SiloEnvironment { get; }

    /// <summary>The same for our gateway (--gateway-env); with the embedded topology, for the silo that serves WebSockets.</summary>
    public IReadOnlyDictionary<string, string> GatewayEnvironment { get; }

    /// <summary>How ours runs (--topology): <see cref="EmbeddedTopology"/>, as scripts/run.sh, or <see cref="SeparateTopology"/>.</summary>
    public string Topology { get; }

    /// <summary>The form of our protocol the streaming scenarios speak (--form compact|json); the wire scenario runs each.</summary>
    public RealtimeForm Form { get; }

    public string SiloDll { get; }

    public string GatewayDll { get; }

    public string PeerDll { get; }

    /// <summary>Bench/SocketIoPeer: server.mjs and its node_modules (npm ci).</summary>
    public string SocketIoPeerDirectory { get; }

    /// <summary>Node processes the Socket.IO peer forks: one per core, as its documentation recommends.</summary>
    public int SocketIoWorkers { get; }

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

    private static Dictionary<string, string> EnvironmentList(string option, string text)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0)
            {
                throw new ArgumentException($"--{option}: '{pair}' is not NAME=VALUE");
            }
            environment[pair[..equals]] = pair[(equals + 1)..];
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
