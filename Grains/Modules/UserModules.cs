using Microsoft.Extensions.Logging;

namespace Realtime.Modules;

/// <summary>The modules one user grain holds, at most one of each type.</summary>
public sealed class UserModules(ILogger logger)
{
    private readonly Dictionary<Type, IUserModule> _modules = [];

    public int Count => _modules.Count;

    public TModule GetOrCreate<TModule>(Func<TModule> create) where TModule : class, IUserModule
    {
        if (_modules.TryGetValue(typeof(TModule), out var existing))
        {
            return (TModule)existing;
        }
        var module = create();
        _modules.Add(typeof(TModule), module);
        return module;
    }

    public TModule? Find<TModule>() where TModule : class, IUserModule =>
        _modules.GetValueOrDefault(typeof(TModule)) as TModule;

    public async Task ConnectionClosed(string instanceId)
    {
        foreach (var module in _modules.Values)
        {
            try
            {
                await module.OnConnectionClosed(instanceId);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Module {Module} failed to release connection {InstanceId}", module.GetType().Name, instanceId);
            }
        }
    }

    /// <summary>Disposes every module; one failing does not keep the others from releasing their subscriptions.</summary>
    public async Task DisposeAll()
    {
        var modules = _modules.Values.ToArray();
        _modules.Clear();
        foreach (var module in modules)
        {
            try
            {
                await module.DisposeAsync();
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Module {Module} failed to dispose", module.GetType().Name);
            }
        }
    }
}
