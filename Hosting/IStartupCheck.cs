namespace Realtime.Hosting;

/// <summary>
/// A check of the process's wiring or settings that throws <see cref="StartupConfigurationException"/> when it is
/// wrong. <see cref="ProgramHost"/> runs every registered check before the host starts, so a wrong setting is refused
/// before the host would log it as a start-up crash with a stack trace.
/// </summary>
public interface IStartupCheck
{
    void Check();
}
