using System.Text.Json;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Authentication;

/// <summary>The Django reference vectors (Tests/Fixtures/django-session/sessions.json; its README explains each field).</summary>
internal static class DjangoReferenceVectors
{
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
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Fixture("django-session/sessions.json")));
        return document.RootElement.Clone();
    }
}
