using System.ComponentModel.DataAnnotations;
using Realtime.Gateway.Security;

namespace Realtime.Gateway;

/// <summary>Configuration section <c>Gateway</c>: the WebSocket front door's limits (README lists each key).</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>The Django session cookie's name (Django's SESSION_COOKIE_NAME).</summary>
    [Required]
    public string SessionCookieName { get; set; } = "sessionid";

    /// <summary>
    /// Browser origins besides the gateway's own that may open <c>/ws</c> with the user's cookie, such as the Django
    /// site's (<c>https://www.example.com</c>); <c>*</c> allows every origin and must be set on purpose. A request
    /// without an <c>Origin</c> header (not a browser) is not affected.
    /// </summary>
    [AllowedOrigins]
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Query parameter a non-browser client may carry the session id in instead of the cookie.</summary>
    [Required]
    public string SessionQueryParameter { get; set; } = "sessionid";

    /// <summary>A client frame larger than this closes the connection with 1009.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxFrameBytes { get; set; } = 64 * 1024;

    /// <summary>Sustained client frames per second per connection.</summary>
    [Range(1, 100_000)]
    public double MessagesPerSecond { get; set; } = 50;

    /// <summary>How many frames a client may send at once above the sustained rate.</summary>
    [Range(1, 100_000)]
    public int MessageBurst { get; set; } = 100;

    /// <summary>Frames refused for rate in one flood before the connection is closed with 4008.</summary>
    [Range(1, 100_000)]
    public int RateLimitStrikes { get; set; } = 20;

    /// <summary>
    /// A connection that has sent nothing for this long gets a WebSocket ping; sent to the client in <c>welcome</c>,
    /// where the browser library takes it as the interval of its own <c>ping</c>. 25 s as Socket.IO's and
    /// Centrifugo's: well inside the idle timeouts of load balancers and NATs (60 s and more), and each ping is a round
    /// trip per connection that 100,000 connections pay thousands of times a second.
    /// </summary>
    [Range(1, 3600)]
    public int HeartbeatSeconds { get; set; } = 25;

    /// <summary>A connection that has not answered a ping within this time is closed and cleaned up.</summary>
    [Range(1, 3600)]
    public int HeartbeatTimeoutSeconds { get; set; } = 30;

    /// <summary>Frames that may wait for a slow client before it is disconnected (chart updates are conflated instead).</summary>
    [Range(8, 1_000_000)]
    public int SendQueueCapacity { get; set; } = 1024;

    /// <summary>
    /// The kernel send buffer of each WebSocket, in bytes: how much a client that stops reading can still be owed
    /// beyond what the gateway holds (and conflates). Linux would otherwise let it grow to megabytes.
    /// </summary>
    [Range(4096, 4 * 1024 * 1024)]
    public int SocketSendBufferBytes { get; set; } = 8 * 1024;

    /// <summary>
    /// How often this gateway re-registers itself and restates its charts' viewers with the cluster. At most 20 s: the
    /// gateway directory forgets a gateway that has not registered for 45 s.
    /// </summary>
    [Range(1, 20)]
    public int RefreshSeconds { get; set; } = 10;

    /// <summary>
    /// How often it restates every user's connections to the user grains. User grains persist their connections, so
    /// this is a safety net, and it costs one grain call per connected user: less often than the charts, and spread
    /// over the refresh rounds in between (each round tells a slice of the users). At most 120 s: a user grain forgets
    /// a connection nobody restated for 5 minutes.
    /// </summary>
    [Range(1, 120)]
    public int UserRefreshSeconds { get; set; } = 60;

    /// <summary>
    /// How often this gateway tells the presence grain how many connections each user holds here and how many watch
    /// each chart (only what changed; nothing but a heartbeat when nothing did). Presence lags by up to this much, and a
    /// gateway that died leaves the counts after three of these.
    /// </summary>
    [Range(1, 10, ErrorMessage = "Gateway:PresenceSeconds must be {1}..{2}")]
    public int PresenceSeconds { get; set; } = 2;

    /// <summary>
    /// After SIGTERM, how long the gateway answers new upgrades 503 (and <c>/readyz</c> unhealthy) before it stops
    /// listening: long enough for a load balancer to take it out. Its clients are closed a batch at a time within this
    /// window, every one of them by its end. The shutdown timeout is this plus 10 s.
    /// </summary>
    [Range(0, 60, ErrorMessage = "Gateway:DrainSeconds must be {1}..{2}")]
    public int DrainSeconds { get; set; } = DefaultDrainSeconds;

    public const int DefaultDrainSeconds = 5;

    /// <summary>
    /// Clients closed (1001) at a time while draining: with <see cref="DrainBatchIntervalMilliseconds"/> the rate at
    /// which they reconnect to the other gateways. A batch grows beyond this only when the rate would not close every
    /// client within <see cref="DrainSeconds"/>.
    /// </summary>
    [Range(1, 1_000_000, ErrorMessage = "Gateway:DrainBatchSize must be {1}..{2}")]
    public int DrainBatchSize { get; set; } = DefaultDrainBatchSize;

    public const int DefaultDrainBatchSize = 100;

    /// <summary>
    /// Time between two batches of closes while draining; the 1001 close tells each client to reconnect at a random
    /// moment within it, so the clients of one batch do not arrive at the other gateways in the same instant.
    /// </summary>
    [Range(10, 10_000, ErrorMessage = "Gateway:DrainBatchIntervalMilliseconds must be {1}..{2}")]
    public int DrainBatchIntervalMilliseconds { get; set; } = DefaultDrainBatchIntervalMilliseconds;

    public const int DefaultDrainBatchIntervalMilliseconds = 200;

    /// <summary>
    /// Compresses a connection's frames with permessage-deflate (RFC 7692) when its client offers it. Off by default:
    /// it costs the gateway CPU per frame and per connection memory for the compressor (docs/benchmarks.md).
    /// </summary>
    public bool PermessageDeflate { get; set; }

    /// <summary>
    /// With <see cref="PermessageDeflate"/>: the compressor remembers earlier frames of the connection (a 32 KiB window
    /// per connection), so a frame much like the one before costs a few bytes; without it each frame is compressed alone.
    /// </summary>
    public bool DeflateContextTakeover { get; set; } = true;

    /// <summary>
    /// The gateway reads a plain WebSocket handshake to <c>/ws</c> itself and makes the WebSocket over the connection,
    /// so Kestrel keeps no HTTP request alive under it for the connection's life (about a third of an idle
    /// connection's memory). Handshakes it does not serve that way (TLS terminated by Kestrel, permessage-deflate,
    /// HTTP/2, unusual or very long heads) go through Kestrel as with this off; clients see no difference.
    /// </summary>
    public bool DirectUpgrade { get; set; } = true;

    /// <summary>
    /// Serves <c>GET /demo/login</c>, which logs anybody in as any user without the Django site. For scripts/run.sh and
    /// the demo page only: never turn it on where the Django site's users log in.
    /// </summary>
    public bool DemoLogin { get; set; }
}
