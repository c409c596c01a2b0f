using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Realtime.Hosting;

public static class ClusterConfiguration
{
    /// <summary>
    /// Registers the <c>Cluster</c> section (bound, checked against its attributes, validated on start) and returns
    /// its values for the wiring Orleans needs while the host is built. They are checked here as well, at once:
    /// Orleans reads and validates its own options while the host resolves its services, before
    /// <c>ValidateOnStart</c> runs, so a bad port or address would otherwise fail inside Orleans without naming our key.
    /// </summary>
    public static RealtimeClusterOptions AddValidatedClusterOptions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RealtimeClusterOptions>()
            .BindConfiguration(RealtimeClusterOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var cluster = builder.Configuration.GetSection(RealtimeClusterOptions.Section).Get<RealtimeClusterOptions>() ?? new();
        var failures = new List<ValidationResult>();
        if (!Validator.TryValidateObject(cluster, new ValidationContext(cluster), failures, validateAllProperties: true))
        {
            throw new OptionsValidationException(RealtimeClusterOptions.Section, typeof(RealtimeClusterOptions), [.. failures.Select(f => f.ErrorMessage ?? "invalid")]);
        }
        return cluster;
    }
}
