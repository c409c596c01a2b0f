using Microsoft.Extensions.DependencyInjection;
using Realtime.Registration;
using Realtime.Services;
using Realtime.Tests.Infrastructure;
using Realtime.Users;

namespace Realtime.Tests.Users;

public sealed class HandlerRegistryTests
{
    [Fact]
    public async Task Two_user_handlers_for_one_type_stop_silo_start_up_naming_both_classes()
    {
        await using var cluster = new RealtimeCluster(RedisServer.Shared)
        {
            ConfigureSiloServices = services => services.AddUserMessageHandler<SecondPingHandler>(),
        };

        var error = await Assert.ThrowsAsync<DuplicateHandlerException>(() => cluster.StartSilo());

        Assert.Contains("Realtime.Users.PingHandler", error.Message);
        Assert.Contains(typeof(SecondPingHandler).FullName!, error.Message);
        Assert.Contains("'ping'", error.Message);
    }

    [Fact]
    public void Two_service_handlers_for_one_type_are_refused_naming_both_classes()
    {
        var error = Assert.Throws<DuplicateHandlerException>(() =>
            new HandlerRegistry<IServiceMessageHandler>([new FakeSiteHandler(), new OtherFakeSiteHandler()], "service message"));

        Assert.Contains(typeof(FakeSiteHandler).FullName!, error.Message);
        Assert.Contains(typeof(OtherFakeSiteHandler).FullName!, error.Message);
    }

    [Fact]
    public void A_registry_finds_each_handler_by_its_type()
    {
        var registry = new HandlerRegistry<IUserMessageHandler>([new EchoHandler(), new SecondPingHandler()], "user message");

        Assert.IsType<EchoHandler>(registry.Find("echo"));
        Assert.IsType<SecondPingHandler>(registry.Find("ping"));
        Assert.Null(registry.Find("nope"));
    }

    private sealed class FakeSiteHandler : IServiceMessageHandler
    {
        public string Type => "site";

        public Task<ServiceOutcome[]> Handle(IReadOnlyList<ServiceMessage> messages, CancellationToken cancellationToken) =>
            Task.FromResult(messages.Select(_ => ServiceOutcome.Delivered).ToArray());
    }

    private sealed class OtherFakeSiteHandler : IServiceMessageHandler
    {
        public string Type => "site";

        public Task<ServiceOutcome[]> Handle(IReadOnlyList<ServiceMessage> messages, CancellationToken cancellationToken) =>
            Task.FromResult(messages.Select(_ => ServiceOutcome.Delivered).ToArray());
    }
}
