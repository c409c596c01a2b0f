using System.Text.Json;

namespace Realtime.Tests.Authentication;

/// <summary>
/// The shared Django reference vectors (shared/reference/django-session/sessions.json). The repository
/// and shared/ sit side by side both locally and in CI, so the file is searched for from the test
/// binaries upwards rather than copied into the build.
/// </summary>
internal static class DjangoReferenceVectors
{
    private const string RelativePath = "shared/reference/django-session/sessions.json";

    private static readonly Lazy<JsonElement> Root = new(Load);

    public static string SecretKey => Root.Value.GetProperty("secret_key").GetString()!;

    public static string[] SecretKeyFallbacks =>
        [.. Root.Value.GetProperty("secret_key_fallbacks").EnumerateArray().Select(key => key.GetString()!)];

    public static string SessionSalt => Root.Value.GetProperty("session_class_salt").GetString()!;

    public static IEnumerable<JsonElement> SignerChecks => Root.Value.GetProperty("signer_checks").EnumerateArray();

    public static IEnumerable<JsonElement> Sessions => Root.Value.GetProperty("sessions").EnumerateArray();

    public static JsonElement Session(string name) =>
        Sessions.Single(session => session.GetProperty("name").GetString() == name);

    public static string? OptionalString(this JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) ? value.GetString() : null;

    private static JsonElement Load()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[]
                     {
                         Path.Combine(dir.FullName, RelativePath),
                         Path.Combine(dir.FullName, "..", RelativePath),
                     })
            {
                if (File.Exists(candidate))
                {
                    using var document = JsonDocument.Parse(File.ReadAllText(candidate));
                    return document.RootElement.Clone();
                }
            }
        }

        throw new FileNotFoundException(
            $"Could not find {RelativePath} above {AppContext.BaseDirectory}; the shared/ folder must sit beside the repository.");
    }
}
