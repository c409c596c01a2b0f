using Realtime.Bench;
using Realtime.Bench.Clients;
using Realtime.Bench.Protocols;
using Realtime.Bench.Scenarios;
using Realtime.Bench.Sessions;
using StackExchange.Redis;

// One streaming run against a server that is already running (Bench/run.sh runs the whole comparison):
//   stream --protocol realtime|signalr|socketio --url http://127.0.0.1:8080 --redis 127.0.0.1:6379 [--queue queue:rtserver]
//          [--secret <Django SECRET_KEY>] [--clients 100] [--symbols 10] [--rate 100] [--warmup 3] [--seconds 10]
//          [--form compact|json] [--deflate true]   (ours: the protocol's form, and whether clients offer permessage-deflate)
//          [--idle N] [--first-client K]            (ours: N more connections that watch nothing, held open through the
//                                                    run; clients numbered from K, so several generators log in as
//                                                    different users: Bench/scale.sh)
//          [--together N]                           (wait until N generators have their idle connections open, so every
//                                                    generator measures while none is still connecting)
if (args is not ["stream", .. var rest])
{
    Console.Error.WriteLine("usage: stream --protocol realtime|signalr|socketio --url <server> --redis <host:port> [options]; see Program.cs");
    return 2;
}
var options = new BenchArguments(rest);
var url = new Uri(options.Text("url", "http://127.0.0.1:8080"));
var clients = options.Int("clients", 100);
var settings = new StreamSettings("stream", options.Text("prefix", "BENCH"), clients, options.Int("symbols", 10), options.Number("rate", 100),
    TimeSpan.FromSeconds(options.Number("warmup", 3)), TimeSpan.FromSeconds(options.Number("seconds", 10)));
var protocolName = options.Text("protocol", "realtime");
var secret = options.Text("secret", "");
using var redis = await ConnectionMultiplexer.ConnectAsync(options.Text("redis", "127.0.0.1:6379"));
var queue = options.Text("queue", "queue:rtserver");
var form = options.Text("form", "compact") switch
{
    "compact" => RealtimeForm.Compact,
    "json" => RealtimeForm.Json,
    _ => throw new ArgumentException("--form must be compact or json"),
};
var deflate = options.Flag("deflate");
var idle = options.Int("idle", 0);
var together = options.Int("together", 0);
var firstClient = options.Int("first-client", 0);
options.RejectUnknown();

var socketUrl = new UriBuilder(url) { Scheme = url.Scheme == "https" ? "wss" : "ws" }.Uri;
IBenchProtocol protocol = protocolName switch
{
    "realtime" => new RealtimeProtocol(socketUrl, "1m", "SMA(close,20)") { Form = form, Deflate = deflate, CountsWireBytes = true, FirstClient = firstClient },
    "signalr" => new SignalRProtocol(new Uri(socketUrl, "/quotes")),
    "socketio" => new SocketIoProtocol(socketUrl),
    _ => throw new ArgumentException("--protocol must be realtime, signalr or socketio"),
};
if (protocol is RealtimeProtocol)
{
    await new DjangoSessionWriter(secret.Length > 0 ? secret : throw new ArgumentException("--secret is required for realtime"))
        .StoreClients(redis.GetDatabase(), clients + idle, firstClient);
}
else if (idle > 0 || firstClient > 0)
{
    throw new ArgumentException("--idle and --first-client are for --protocol realtime");
}
// The idle connections log in as the clients after the streaming ones, and stay open until the run is measured.
await using var idleFleet = idle == 0 ? null : await ClientFleet.Connect(
    new RealtimeProtocol(socketUrl) { Form = form, FirstClient = firstClient + clients }, idle, _ => [], null, CancellationToken.None);
if (idleFleet is not null)
{
    Console.WriteLine($"idle | {idleFleet.Connected:N0} of {idle:N0} connections open in {idleFleet.ConnectTime.TotalSeconds:F1} s");
}
if (together > 0)
{
    await Together.Wait(redis.GetDatabase(), together, TimeSpan.FromMinutes(15));
}
var result = await StreamScenario.Run(new BenchTarget(protocol, redis, queue, []), settings, CancellationToken.None);
Console.WriteLine(result.Row());
if (idleFleet is not null)
{
    Console.WriteLine($"idle | {idleFleet.Connected - idleFleet.Lost:N0} of {idle:N0} connections still open after the run");
}
return result.DeliveredFrames > 0 ? 0 : 1;
