using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Realtime.Hosting;
using Realtime.Services;
using Realtime.Users;

namespace Realtime.Registration;

/// <summary>
/// Builds both handler registries before and while the host starts, so a duplicate registration stops start-up, not
/// the first message: the program checks it first (one line naming the type), a host started in-process on start.
/// </summary>
internal sealed class HandlerRegistryValidator(IServiceProvider services) : IHostedService, IStartupCheck
{
    public void Check()
    {
        _ = services.GetRequiredService<HandlerRegistry<IUserMessageHandler>>();
        _ = services.GetRequiredService<HandlerRegistry<IServiceMessageHandler>>();
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Check();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
