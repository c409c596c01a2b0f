namespace Realtime.Hosting;

/// <summary>A setting or registration the process cannot run with; its message names the key and says what is wrong.</summary>
public class StartupConfigurationException(string message) : InvalidOperationException(message);
