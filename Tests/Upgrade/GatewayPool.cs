using System.Net.WebSockets;
using System.Text.RegularExpressions;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Upgrade;

/// <summary>
/// The gateways a load balancer sends clients to: a gateway leaves the pool before it is told to stop and a new one
/// joins once it is ready. A client its gateway closes reconnects through the pool at a random moment within the
/// window the close names (docs/protocol.md 1.6), as the browser library does.
/// </summary>
public sealed partial class GatewayPool
{
    private readonly object _gate = new();
    private readonly List<ProductProcess> _serving = [];
    private int _away;

    /// <summary>Clients whose socket closed and who are not connected again yet.</summary>
    public int Away => Volatile.Read(ref _away);

    public int Reconnects { get; private set; }

    public void Add(ProductProcess gateway)
    {
        lock (_gate)
        {
            _serving.Add(gateway);
        }
    }

    public void Remove(ProductProcess gateway)
    {
        lock (_gate)
        {
            _serving.Remove(gateway);
        }
    }

    /// <summary>Connects to a gateway of the pool, chosen at random.</summary>
    public Task<TestSocket> Connect(string session)
    {
        ProductProcess gateway;
        lock (_gate)
        {
            gateway = _serving.Count > 0 ? _serving[Random.Shared.Next(_serving.Count)] : throw new InvalidOperationException("no gateway is serving");
        }
        return TestSocket.Connect(gateway.WebSocket(session));
    }

    /// <summary>
    /// Keeps a client connected until <paramref name="stop"/>: whenever <paramref name="closed"/> completes, opens it
    /// again through the pool with <paramref name="open"/>, retrying a handshake that fails (a gateway still starting, a
    /// cluster still forming) with backoff.
    /// </summary>
    public async Task KeepConnected(Func<Task> closed, Func<string?> closeReason, Func<Func<string, Task<TestSocket>>, Task> open, CancellationToken stop)
    {
        while (true)
        {
            try
            {
                await closed().WaitAsync(stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (stop.IsCancellationRequested)
            {
                // Closed by the test itself, at the end.
                return;
            }
            Interlocked.Increment(ref _away);
            var window = ReconnectWindow().Match(closeReason() ?? "") is { Success: true } m ? int.Parse(m.Groups[1].Value) : 1000;
            await Task.Delay(Random.Shared.Next(window), CancellationToken.None);
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await open(Connect);
                    break;
                }
                catch (Exception e) when (attempt < 8 && e is WebSocketException or OperationCanceledException or TimeoutException or InvalidOperationException)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(250 << Math.Min(attempt, 4)), CancellationToken.None);
                }
            }
            lock (_gate)
            {
                Reconnects++;
            }
            Interlocked.Decrement(ref _away);
        }
    }

    [GeneratedRegex(@"reconnect within (\d+) ms")]
    private static partial Regex ReconnectWindow();
}
