using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Realtime.Users;
using StackExchange.Redis;

namespace Realtime.Backends;

public static class BackendServiceCollectionExtensions
{
    /// <summary>
    /// Registers one forwarding user message handler per <c>Backend:Forward</c> entry. The section is read and checked
    /// here, while the host is built, because it decides which handlers exist: a bad entry stops start-up naming its key.
    /// </summary>
    /// <param name="replyQueue">The queue backends answer on: this server's own (the first of <c>ServiceQueue:Queues</c>).</param>
    public static IServiceCollection AddBackendForwarding(this IServiceCollection services, IConfiguration configuration, string replyQueue)
    {
        var section = configuration.GetSection(BackendOptions.Section);
        var options = section.Get<BackendOptions>() ?? new BackendOptions();
        var failures = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), failures, validateAllProperties: true))
        {
            throw new OptionsValidationException(BackendOptions.Section, typeof(BackendOptions), [.. failures.Select(f => f.ErrorMessage ?? "invalid")]);
        }
        services.AddOptions<BackendOptions>().Bind(section);
        foreach (var (type, list) in options.Forward)
        {
            services.AddSingleton<IUserMessageHandler>(sp => new BackendForwardHandler(
                type, list, replyQueue, options.MaxQueueLength, TimeSpan.FromMilliseconds(options.TimeoutMilliseconds),
                sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<ILogger<BackendForwardHandler>>()));
        }
        return services;
    }
}
