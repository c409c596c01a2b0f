namespace Realtime;

/// <summary>
/// Why a request body was refused: the field at fault (a JSON path relative to the body, such as <c>users</c>,
/// <c>users[2]</c> or <c>message.type</c>; empty for the body itself) and what is wrong with it, phrased to follow the
/// field's name.
/// </summary>
public sealed record FieldError(string Field, string Problem)
{
    /// <summary>
    /// The error as a sentence. <paramref name="root"/> is where the body sits: <c>data</c> in a service message (so
    /// the field reads <c>'data.users'</c>), empty for an HTTP body (<c>'users'</c>, or "the body" for the body itself).
    /// </summary>
    public string Describe(string root = "")
    {
        var path = root.Length == 0 ? Field : Field.Length == 0 ? root : $"{root}.{Field}";
        return path.Length == 0 ? $"the body {Problem}" : $"'{path}' {Problem}";
    }
}
