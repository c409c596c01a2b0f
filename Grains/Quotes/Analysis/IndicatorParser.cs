using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Realtime.Quotes.Analysis;

/// <summary>
/// Reads indicator names as users and TA-Lib write them, case-insensitively: <c>MA(5)</c>, <c>sma(close,5)</c>,
/// <c>MACD</c>, <c>BOLL(20,2)</c>, <c>BBANDS(close,20,2)</c>, <c>STOCH(9,3,3)</c>, <c>KDJ</c>, <c>ATR</c>, <c>OBV</c>,
/// <c>VWAP</c>, ... Parameters are all given or, where every one has a default, all left out.
/// </summary>
public static class IndicatorParser
{
    private const string CloseSource = "close";

    /// <summary>
    /// Parses one name. On failure <paramref name="error"/> says what is wrong, without repeating the whole input,
    /// so callers can put it in their own context (<c>indicator 'MA(0)': ...</c>).
    /// </summary>
    public static bool TryParse(
        string? text,
        [NotNullWhen(true)] out IndicatorDefinition? definition,
        [NotNullWhen(false)] out string? error)
    {
        error = Parse(text, out definition);
        return error is null;
    }

    private static string? Parse(string? text, out IndicatorDefinition? definition)
    {
        definition = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return "an indicator name is required, e.g. MA(5) or MACD";
        }
        var syntaxError = Split(text.Trim(), out var name, out var arguments);
        if (syntaxError is not null)
        {
            return syntaxError;
        }
        var spelling = IndicatorCatalog.Find(name);
        if (spelling is null)
        {
            return $"unknown indicator \"{name}\"; known ones are {IndicatorCatalog.KnownNames}";
        }
        if (LooksLikeSource(arguments, spelling))
        {
            if (!spelling.TakesClose || !string.Equals(arguments[0], CloseSource, StringComparison.OrdinalIgnoreCase))
            {
                return spelling.TakesClose
                    ? $"{spelling.Name} can only be computed on the close, written \"close\""
                    : $"{spelling.Name} uses the whole bar and takes no price source like \"{arguments[0]}\"";
            }
            arguments.RemoveAt(0);
        }
        var parameters = spelling.Parameters;
        var values = new double[parameters.Count];
        if (arguments.Count == 0 && spelling.HasDefaults)
        {
            for (var i = 0; i < parameters.Count; i++)
            {
                values[i] = parameters[i].Default!.Value;
            }
        }
        else if (arguments.Count != parameters.Count)
        {
            return $"{DescribeArity(spelling)}, got {arguments.Count}";
        }
        else
        {
            for (var i = 0; i < parameters.Count; i++)
            {
                if (!TryReadNumber(arguments[i], parameters[i], out values[i]))
                {
                    return $"{spelling.Name} {parameters[i].Name} must be {parameters[i].Describe()}, got \"{arguments[i]}\"";
                }
            }
        }
        if (spelling.Check?.Invoke(values) is { } ruleError)
        {
            return ruleError;
        }
        definition = new IndicatorDefinition(() => spelling.Create(values));
        return null;
    }

    /// <summary>Splits <c>NAME</c> or <c>NAME(a, b, ...)</c>; returns a syntax error or null.</summary>
    private static string? Split(string text, out string name, out List<string> arguments)
    {
        arguments = [];
        var open = text.IndexOf('(');
        if (open < 0)
        {
            name = text;
            return IsWord(name) ? null : "expected a name like MA(5) or MACD";
        }
        name = text[..open].Trim();
        if (!IsWord(name))
        {
            return "expected a name before \"(\"";
        }
        if (!text.EndsWith(')'))
        {
            return "expected \")\" at the end";
        }
        var inside = text[(open + 1)..^1];
        if (inside.Contains('(') || inside.Contains(')'))
        {
            return "unexpected parenthesis inside the parameters";
        }
        if (string.IsNullOrWhiteSpace(inside))
        {
            return null;
        }
        arguments = inside.Split(',').Select(a => a.Trim()).ToList();
        return arguments.Any(a => a.Length == 0) ? "empty parameter" : null;
    }

    private static string DescribeArity(IndicatorSpelling spelling)
    {
        var parameters = spelling.Parameters;
        if (parameters.Count == 0)
        {
            return $"{spelling.Name} takes no parameters";
        }
        var names = string.Join(", ", parameters.Select(p => p.Name));
        var plural = parameters.Count == 1 ? "parameter" : "parameters";
        var orNone = spelling.HasDefaults
            ? " or none for " + string.Join(",", parameters.Select(p => p.Default!.Value.ToString(CultureInfo.InvariantCulture)))
            : "";
        return $"{spelling.Name} takes {parameters.Count} {plural} ({names}){orNone}";
    }

    private static bool TryReadNumber(string argument, IndicatorParameter parameter, out double value)
    {
        if (parameter.WholeNumber)
        {
            var ok = int.TryParse(argument, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole);
            value = whole;
            return ok && parameter.Allows(value);
        }
        // Exponents are allowed because canonical names print deviations round-trip ("R"), which uses them for tiny values.
        return double.TryParse(argument, NumberStyles.Float, CultureInfo.InvariantCulture, out value)
            && parameter.Allows(value);
    }

    // A leading word is a price source when it is "close" or when the count says it is extra (SMA(open,5), RSI(open));
    // otherwise it is a mistyped parameter (MA(x)) and gets the parameter's message.
    private static bool LooksLikeSource(List<string> arguments, IndicatorSpelling spelling) =>
        arguments.Count > 0
        && IsWord(arguments[0])
        && (string.Equals(arguments[0], CloseSource, StringComparison.OrdinalIgnoreCase)
            || arguments.Count == spelling.Parameters.Count + 1
            || (arguments.Count == 1 && spelling.HasDefaults));

    private static bool IsWord(string text) => text.Length > 0 && text.All(char.IsAsciiLetter);
}
