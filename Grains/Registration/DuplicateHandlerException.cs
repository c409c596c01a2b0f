using Realtime.Backends;

namespace Realtime.Registration;

/// <summary>Two handlers of the same kind claim one message type; thrown at start-up so the process never runs half-wired.</summary>
public sealed class DuplicateHandlerException(string kind, string type, Type first, Type second)
    : Realtime.Hosting.StartupConfigurationException(Describe(kind, type, first, second))
{
    // A forwarded type is a setting, so the operator is told the key to change rather than a registration to remove.
    private static string Describe(string kind, string type, Type first, Type second) =>
        first == typeof(BackendForwardHandler) || second == typeof(BackendForwardHandler)
            ? $"{BackendOptions.Section}:{nameof(BackendOptions.Forward)}:{type} forwards message type '{type}', which the server handles itself ({(first == typeof(BackendForwardHandler) ? second : first).FullName}); forward another type."
            : $"Two {kind} handlers claim message type '{type}': {first.FullName} and {second.FullName}. Remove one registration.";
}
