using System.Text;
using Realtime.Bench;
using Realtime.Bench.Measurement;
using Realtime.Bench.Runner;
using StackExchange.Redis;

// Runs the whole comparison (Bench/run.sh starts Redis and calls this): our silo + gateway, then the SignalR peer,
// the same scenarios with the same parameters, then one table with ratios. Options: see SuiteSettings.
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
if (settings.IdleConnections < settings.RequestedIdle)
{
    header.AppendLine($"idle: {settings.IdleConnections:N0} connections instead of {settings.RequestedIdle:N0}: the open-file limit is {SuiteSettings.OpenFileLimit():N0} and cannot be raised here");
}
Console.Write(header);

var suite = new Suite(settings, redis, Console.Out);
ServerResults? ours = null;
ServerResults? peer = null;
if (settings.Servers.Contains("ours"))
{
    ours = await suite.Run(() => new OursDeployment(settings, redis, redisProcess), stopping.Token);
}
if (settings.Servers.Contains("peer"))
{
    peer = await suite.Run(() => new PeerDeployment(settings, redis, redisProcess), stopping.Token);
}

var table = ComparisonTable.Markdown(ComparisonTable.Rows(settings, ours, peer), "Realtime.Orleans", "SignalR + Redis backplane");
header.AppendLine($"load average after: {MachineDescription.LoadAverage()}");
Console.WriteLine();
Console.WriteLine($"load average after: {MachineDescription.LoadAverage()}");
Console.Write(table);
if (settings.Markdown.Length > 0)
{
    await File.WriteAllTextAsync(settings.Markdown, header + Environment.NewLine + table);
}
return 0;
