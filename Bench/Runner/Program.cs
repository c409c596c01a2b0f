using System.Text;
using Realtime.Bench;
using Realtime.Bench.Measurement;
using Realtime.Bench.Runner;
using StackExchange.Redis;

// Runs the whole comparison (Bench/run.sh starts Redis and calls this): our silo + gateway, then the SignalR peer,
// then the Socket.IO peer, the same scenarios with the same parameters, then one table with ratios and a verdict on
// each of issue 17's targets. A scenario that cannot finish is reported and the run goes on. Options: SuiteSettings.
var settings = new SuiteSettings(new BenchArguments(args));
using var stopping = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stopping.Cancel();
};

using var redis = await ConnectionMultiplexer.ConnectAsync(settings.Redis + ",allowAdmin=true");
var info = (await redis.GetServers()[0].InfoAsync("server")).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);
var redisProcess = new MonitoredProcess("redis", int.Parse(info["process_id"]));
var header = new StringBuilder()
    .AppendLine($"machine: {MachineDescription.Describe()}; Redis {info["redis_version"]}")
    .AppendLine($"load average before: {MachineDescription.LoadAverage()}")
    .AppendLine($"logs: {settings.LogDirectory}");
if (settings.Runs("idle") && settings.IdleConnections < settings.RequestedIdle)
{
    header.AppendLine($"idle: {settings.IdleConnections:N0} connections instead of {settings.RequestedIdle:N0}: the open-file limit is {SuiteSettings.OpenFileLimit():N0} and cannot be raised here");
}
Console.Write(header);

var suite = new Suite(settings, redis, Console.Out);
var servers = new List<ServerResults>();
foreach (var server in settings.Servers.OrderBy(s => Array.IndexOf<string>([SuiteSettings.Ours, SuiteSettings.SignalR, SuiteSettings.SocketIo], s)))
{
    if (stopping.IsCancellationRequested)
    {
        break;
    }
    servers.Add(server switch
    {
        SuiteSettings.Ours => await suite.Run(OursDeployment.ServerName, () => new OursDeployment(settings, redis, redisProcess), stopping.Token),
        SuiteSettings.SignalR => await suite.Run(SignalRDeployment.ServerName, () => new SignalRDeployment(settings, redis, redisProcess), stopping.Token),
        _ => await suite.Run(SocketIoDeployment.ServerName, () => new SocketIoDeployment(settings, redis, redisProcess), stopping.Token),
    });
}

var report = ComparisonTable.Markdown(settings, servers);
header.AppendLine($"load average after: {MachineDescription.LoadAverage()}");
Console.WriteLine();
Console.WriteLine($"load average after: {MachineDescription.LoadAverage()}");
Console.Write(report);
if (settings.Markdown.Length > 0)
{
    await File.WriteAllTextAsync(settings.Markdown, header + Environment.NewLine + report);
}
// Every result above is printed either way; the exit code tells a script whether every scenario finished.
return servers.Any(s => s.Failures.Count > 0) ? 1 : 0;
