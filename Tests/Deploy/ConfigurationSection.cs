namespace Realtime.Tests.Deploy;

/// <summary>An options class and the configuration section a program binds it from.</summary>
public sealed record ConfigurationSection(Type Options, string Section);
