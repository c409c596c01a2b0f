namespace Realtime.Registration;

/// <summary>Something that handles one message <see cref="Type"/>; user and service handlers both are.</summary>
public interface IMessageHandler
{
    /// <summary>The message <c>type</c> this handler owns. At most one handler per type and kind.</summary>
    string Type { get; }
}
