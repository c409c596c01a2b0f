using System.ComponentModel.DataAnnotations;
using System.Net;
using StackExchange.Redis;

namespace Realtime.Hosting;

/// <summary>Configuration section <c>Cluster</c>: what every silo and gateway of one deployment shares (README lists each key).</summary>
public sealed class RealtimeClusterOptions : IValidatableObject
{
    public const string Section = "Cluster";

    /// <summary>
    /// The <see cref="AdvertisedIP"/> value that lets the silo find its own address: a container does not know its IP
    /// before it starts, and a compose file cannot write it into the environment.
    /// </summary>
    public const string OwnAddress = "auto";

    /// <summary>
    /// StackExchange.Redis connection string, used for membership, grain state, queues and sessions: Redis endpoints,
    /// or Sentinel endpoints with <c>serviceName=NAME</c> to follow that service's master through failovers.
    /// </summary>
    [Required(ErrorMessage = "Cluster:Redis must be set")]
    public string Redis { get; set; } = "127.0.0.1:6379";

    public ClusteringMode Clustering { get; set; } = ClusteringMode.Redis;

    /// <summary>Silos and clients with the same cluster id form one cluster.</summary>
    [Required(ErrorMessage = "Cluster:ClusterId must be set")]
    public string ClusterId { get; set; } = "realtime";

    /// <summary>Stays the same across deployments; prefixes grain state keys in Redis.</summary>
    [Required(ErrorMessage = "Cluster:ServiceId must be set")]
    public string ServiceId { get; set; } = "realtime-orleans";

    [Range(1, 65535, ErrorMessage = "Cluster:SiloPort must be {1}..{2}")]
    public int SiloPort { get; set; } = 11111;

    /// <summary>The silo's port for Orleans clients (the gateway processes).</summary>
    [Range(1, 65535, ErrorMessage = "Cluster:GatewayPort must be {1}..{2}")]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// The address other silos and clients reach this silo at; defaults to loopback for a local run. <c>auto</c>
    /// (<see cref="OwnAddress"/>) advertises this machine's own non-loopback IPv4 address.
    /// </summary>
    public string? AdvertisedIP { get; set; }

    /// <summary>
    /// How long a silo waits for a peer's probe answer. Two missed probes and two votes declare a silo dead, so this
    /// sets how fast the cluster takes over a crashed silo's grains (about three times this value).
    /// </summary>
    [Range(1, 60, ErrorMessage = "Cluster:ProbeTimeoutSeconds must be {1}..{2}")]
    public int ProbeTimeoutSeconds { get; set; } = 2;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(Redis) && RedisProblem(Redis) is { } problem)
        {
            yield return new ValidationResult($"Cluster:Redis {problem}", [nameof(Redis)]);
        }
        var ownAddress = string.Equals(AdvertisedIP, OwnAddress, StringComparison.OrdinalIgnoreCase);
        if (AdvertisedIP is { Length: > 0 } ip && !ownAddress && !IPAddress.TryParse(ip, out _))
        {
            yield return new ValidationResult($"Cluster:AdvertisedIP must be an IP address or '{OwnAddress}'", [nameof(AdvertisedIP)]);
        }
    }

    /// <summary>
    /// What is wrong with a connection string, found before anything connects. The string itself is never repeated:
    /// it may hold a password.
    /// </summary>
    private static string? RedisProblem(string connectionString)
    {
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or RedisException)
        {
            return "is not a StackExchange.Redis connection string (host:port[,host:port...][,serviceName=NAME][,option=value...]): "
                + (e.Message.StartsWith("Keyword '", StringComparison.Ordinal) ? e.Message : "it could not be read");
        }
        if (options.EndPoints.Count == 0)
        {
            return "names no endpoint (host:port, or the sentinels' host:port with serviceName=NAME)";
        }
        if (options.ServiceName is { } service && string.IsNullOrWhiteSpace(service))
        {
            return "has an empty serviceName";
        }
        return null;
    }
}
