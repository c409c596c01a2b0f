namespace Realtime.Tests.Deploy;

/// <summary>
/// Whether an environment variable reaches a setting a program reads: a property of one of its options classes
/// (found by reflection, so a new option needs no change here) or one of the host's own keys.
/// </summary>
public static class ConfigurationKeys
{
    public static bool IsBound(string variable, DeployedProgram program)
    {
        // The host reads these prefixes itself (ASPNETCORE_URLS, DOTNET_ENVIRONMENT, ASPNETCORE_HTTP_PORTS, ...).
        if (variable.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || variable.StartsWith("DOTNET_", StringComparison.Ordinal))
        {
            return true;
        }
        // Configuration keys are case-insensitive, and "__" in a variable name stands for ":".
        var key = variable.Replace("__", ":", StringComparison.Ordinal);
        if (key.Equals("Urls", StringComparison.OrdinalIgnoreCase) || key.StartsWith("Logging:", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return program.Sections.SelectMany(Keys).Any(k => Matches(key, k.Key, k.IsList));
    }

    private static IEnumerable<(string Key, bool IsList)> Keys(ConfigurationSection section) =>
        section.Options.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true })
            .Select(p => ($"{section.Section}:{p.Name}", p.PropertyType != typeof(string) && p.PropertyType.IsAssignableTo(typeof(System.Collections.IEnumerable))));

    /// <summary>A list is bound element by element: <c>ServiceQueue:Queues:0</c>.</summary>
    private static bool Matches(string key, string known, bool isList) =>
        key.Equals(known, StringComparison.OrdinalIgnoreCase)
        || (isList && key.StartsWith(known + ":", StringComparison.OrdinalIgnoreCase) && int.TryParse(key[(known.Length + 1)..], out var index) && index >= 0);
}
