using System.Collections.Frozen;

namespace Realtime.Registration;

/// <summary>The handlers of one kind, by message type. Built once at start-up; lookups are lock-free.</summary>
public sealed class HandlerRegistry<THandler> where THandler : class, IMessageHandler
{
    private readonly FrozenDictionary<string, THandler> _byType;

    public HandlerRegistry(IEnumerable<THandler> handlers, string kind)
    {
        var byType = new Dictionary<string, THandler>(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            if (string.IsNullOrWhiteSpace(handler.Type))
            {
                throw new InvalidOperationException($"The {kind} handler {handler.GetType().FullName} has no message type.");
            }
            if (byType.TryGetValue(handler.Type, out var existing))
            {
                throw new DuplicateHandlerException(kind, handler.Type, existing.GetType(), handler.GetType());
            }
            byType.Add(handler.Type, handler);
        }
        _byType = byType.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IEnumerable<string> Types => _byType.Keys;

    public THandler? Find(string type) => _byType.GetValueOrDefault(type);
}
