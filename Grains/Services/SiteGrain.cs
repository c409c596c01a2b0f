using Orleans.Concurrency;

namespace Realtime.Services;

/// <summary>The <see cref="ISiteGrain"/>: hands each instruction to <see cref="SiteCommands"/>, as the <c>site</c> service handler does.</summary>
[StatelessWorker]
[GrainType("site")]
internal sealed class SiteGrain(SiteCommands commands) : Grain, ISiteGrain
{
    public Task Execute(SiteCommand command) => commands.Execute(command);
}
