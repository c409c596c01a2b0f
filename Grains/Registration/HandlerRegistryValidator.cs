using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Realtime.Services;
using Realtime.Users;

namespace Realtime.Registration;

/// <summary>Builds both handler registries while the host starts, so a duplicate registration stops start-up, not the first message.</summary>
internal sealed class HandlerRegistryValidator(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<HandlerRegistry<IUserMessageHandler>>();
        _ = services.GetRequiredService<HandlerRegistry<IServiceMessageHandler>>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
