using System.Globalization;
using System.Text;

namespace Realtime.Gateway.Authentication;

/// <summary>
/// Django's session <c>JSONSerializer</c> for a session of string values: <c>json.dumps(session, separators=(",", ":"))</c>
/// with Python's default <c>ensure_ascii</c>, character for character, so the signed bytes are the ones Django signs.
/// System.Text.Json escapes differently (<c>&lt;</c>, <c>+</c>, uppercase hex), which would change the signature.
/// </summary>
internal static class DjangoSessionJson
{
    public static string Serialize(IEnumerable<KeyValuePair<string, string>> session)
    {
        var json = new StringBuilder("{");
        foreach (var (key, value) in session)
        {
            if (json.Length > 1)
            {
                json.Append(',');
            }
            AppendString(json, key);
            json.Append(':');
            AppendString(json, value);
        }
        return json.Append('}').ToString();
    }

    // Python escapes exactly: backslash, quote, the five short control escapes, and everything outside ' '..'~' as
    // \uXXXX in lowercase hex; characters beyond the BMP come out as their UTF-16 surrogate pair, as here.
    private static void AppendString(StringBuilder json, string text)
    {
        json.Append('"');
        foreach (var c in text)
        {
            json.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\b' => "\\b",
                '\f' => "\\f",
                >= ' ' and <= '~' => c.ToString(),
                _ => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
            });
        }
        json.Append('"');
    }
}
