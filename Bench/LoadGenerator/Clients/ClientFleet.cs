using Realtime.Bench.Measurement;
using Realtime.Bench.Protocols;

namespace Realtime.Bench.Clients;

/// <summary>
/// N connected clients of one protocol, each subscribed to its symbols. Connects a bounded number at a time (a
/// burst of handshakes would measure the listen backlog, not the server) and keeps silent protocols alive.
/// </summary>
public sealed class ClientFleet : IAsyncDisposable
{
    private const int ConnectingAtOnce = 48;
    private static readonly TimeSpan ClientSetupTimeout = TimeSpan.FromSeconds(60);

    private readonly List<BenchClient> _clients;
    private readonly LoopbackSources _sources;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _keepingAlive;

    private ClientFleet(List<BenchClient> clients, LoopbackSources sources, IBenchProtocol protocol, MeasurementSlot slot, int failed, TimeSpan took)
    {
        _clients = clients;
        Measurements = slot;
        _sources = sources;
        FailedToConnect = failed;
        ConnectTime = took;
        _keepingAlive = KeepAlive(protocol, _stopping.Token);
    }

    public int Connected => _clients.Count;

    public int FailedToConnect { get; }

    public TimeSpan ConnectTime { get; }

    /// <summary>Where the clients report: switch it to measure another step with the same clients.</summary>
    public MeasurementSlot Measurements { get; }

    /// <summary>Clients whose connection the server closed or lost since they connected.</summary>
    public int Lost => _clients.Count(c => c.Lost);

    /// <summary>
    /// Connects <paramref name="count"/> clients; client <c>i</c> subscribes to <paramref name="symbolsOf"/>(i).
    /// Throws when more than one client in a hundred could not be set up: the run would not measure what it says.
    /// </summary>
    public static async Task<ClientFleet> Connect(
        IBenchProtocol protocol, int count, Func<int, IReadOnlyList<string>> symbolsOf, MeasurementSlot? measurements, CancellationToken cancellationToken)
    {
        measurements ??= new MeasurementSlot();
        var sources = new LoopbackSources(count, protocol.CountsWireBytes);
        var clients = new BenchClient?[count];
        var failures = 0;
        string? firstFailure = null;
        var started = System.Diagnostics.Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = ConnectingAtOnce, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var client = new BenchClient(protocol, measurements);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(ClientSetupTimeout);
            try
            {
                await client.Connect(sources.For(i), protocol.Endpoint(i), timeout.Token);
                await client.Subscribe(symbolsOf(i), timeout.Token);
                clients[i] = client;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                Interlocked.Increment(ref failures);
                Interlocked.CompareExchange(ref firstFailure, $"client {i}: {e.GetType().Name}: {e.Message}", null);
                await client.DisposeAsync();
            }
        });
        var fleet = new ClientFleet([.. clients.OfType<BenchClient>()], sources, protocol, measurements, failures, started.Elapsed);
        if (failures * 100 > count)
        {
            await fleet.DisposeAsync();
            throw new InvalidOperationException($"{failures} of {count} clients could not connect and subscribe; first: {firstFailure}");
        }
        return fleet;
    }

    private async Task KeepAlive(IBenchProtocol protocol, CancellationToken stopping)
    {
        if (protocol.KeepAlive is not { } ping)
        {
            return;
        }
        try
        {
            using var timer = new PeriodicTimer(protocol.KeepAliveInterval);
            while (await timer.WaitForNextTickAsync(stopping))
            {
                foreach (var client in _clients)
                {
                    await SendQuietly(client, ping, stopping);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task SendQuietly(BenchClient client, byte[] message, CancellationToken stopping)
    {
        try
        {
            await client.Send(message, stopping);
        }
        catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            // A client the server dropped is already counted as a failure by its receive loop.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _keepingAlive;
        foreach (var chunk in _clients.Chunk(1000))
        {
            await Task.WhenAll(chunk.Select(c => c.DisposeAsync().AsTask()));
        }
        _sources.Dispose();
        _stopping.Dispose();
    }
}
