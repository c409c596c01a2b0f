namespace Realtime.Registration;

/// <summary>Two handlers of the same kind claim one message type; thrown at start-up so the process never runs half-wired.</summary>
public sealed class DuplicateHandlerException(string kind, string type, Type first, Type second)
    : InvalidOperationException(
        $"Two {kind} handlers claim message type '{type}': {first.FullName} and {second.FullName}. Remove one registration.");
