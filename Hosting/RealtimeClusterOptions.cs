using System.ComponentModel.DataAnnotations;
using System.Net;

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

    /// <summary>StackExchange.Redis connection string, used for membership, grain state, queues and sessions.</summary>
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
        var ownAddress = string.Equals(AdvertisedIP, OwnAddress, StringComparison.OrdinalIgnoreCase);
        if (AdvertisedIP is { Length: > 0 } ip && !ownAddress && !IPAddress.TryParse(ip, out _))
        {
            yield return new ValidationResult($"Cluster:AdvertisedIP must be an IP address or '{OwnAddress}'", [nameof(AdvertisedIP)]);
        }
    }
}
