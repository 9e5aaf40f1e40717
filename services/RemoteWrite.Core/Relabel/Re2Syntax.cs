using System.Globalization;
using System.Text;

namespace RemoteWrite.Core.Relabel;

/// <summary>
/// Turns an RE2 pattern (Go's <c>regexp/syntax</c>, what Prometheus accepts) into the .NET pattern
/// that matches the same strings, and refuses what RE2 lacks (backreferences, lookarounds, atomic
/// groups, conditionals) with a message that names it. What differs between the two dialects is
/// rewritten: <c>\d \w \s</c> are ASCII in RE2 (Unicode in .NET), <c>$</c> without <c>(?m)</c> is the
/// end of text (.NET also matches before a final newline), <c>(?P&lt;name&gt;…)</c>, <c>\x{…}</c>,
/// <c>\Q…\E</c>, octal escapes and POSIX classes (<c>[[:alpha:]]</c>) have no .NET spelling. Named
/// groups become plain groups so they are numbered left to right as in RE2 (.NET numbers named
/// groups after the others); their names are returned for the replacement templates.
/// </summary>
public static class Re2Syntax
{
    // RE2's limit on {n,m} (re2/parse.cc kMaxRepeat; Go's regexp/syntax maxHeight check).
    private const int MaxRepeat = 1000;

    private const string Digit = "0-9";
    private const string Word = "0-9A-Za-z_";
    private const string Space = @"\t\n\f\r\u0020";

    // The complements as ranges, usable inside a class (.NET has no class nesting).
    private const string NotDigit = @"\u0000-/:-\uFFFF";
    private const string NotWord = @"\u0000-/:-@\u005B-\u005E\u0060\u007B-\uFFFF";
    private const string NotSpace = @"\u0000-\u0008\u000B\u000E-\u001F!-\uFFFF";

    /// <summary>The .NET pattern for <paramref name="pattern"/>, and RE2's group names by number; throws <see cref="FormatException"/> naming what is not RE2.</summary>
    public static string ToDotNet(string pattern, out IReadOnlyDictionary<string, int> groupNames)
    {
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var multiline = HasMultilineFlag(pattern);
        var output = new StringBuilder(pattern.Length + 16);
        var groups = 0;
        var i = 0;
        while (i < pattern.Length)
        {
            var c = pattern[i];
            switch (c)
            {
                case '\\':
                    i = Escape(pattern, i, output, inClass: false);
                    break;
                case '[':
                    i = Class(pattern, i, output);
                    break;
                case '(':
                    i = Group(pattern, i, output, names, ref groups);
                    break;
                case '$':
                    output.Append(multiline ? "$" : @"\z");
                    i++;
                    break;
                case '{':
                    i = Repeat(pattern, i, output);
                    break;
                default:
                    output.Append(c);
                    i++;
                    break;
            }
        }

        groupNames = names;
        return output.ToString();
    }

    private static bool HasMultilineFlag(string pattern)
    {
        for (var i = pattern.IndexOf("(?", StringComparison.Ordinal); i >= 0; i = pattern.IndexOf("(?", i + 2, StringComparison.Ordinal))
        {
            for (var j = i + 2; j < pattern.Length && pattern[j] is not (')' or ':'); j++)
            {
                if (pattern[j] == 'm')
                {
                    return true;
                }

                if (pattern[j] is not ('i' or 's' or 'U' or '-'))
                {
                    break;
                }
            }
        }

        return false;
    }

    private static int Group(string pattern, int i, StringBuilder output, Dictionary<string, int> names, ref int groups)
    {
        if (i + 1 >= pattern.Length || pattern[i + 1] != '?')
        {
            groups++;
            output.Append('(');
            return i + 1;
        }

        var rest = pattern.AsSpan(i + 2);
        if (rest.StartsWith("P<") || (rest.StartsWith("<") && !rest.StartsWith("<=") && !rest.StartsWith("<!")))
        {
            var nameStart = i + 2 + (rest[0] == 'P' ? 2 : 1);
            var close = pattern.IndexOf('>', nameStart);
            if (close < 0)
            {
                throw new FormatException($"missing '>' after the group name at offset {i}");
            }

            var name = pattern[nameStart..close];
            if (name.Length == 0 || !IsWord(name))
            {
                throw new FormatException($"invalid group name \"{name}\" (letters, digits and _ only)");
            }

            if (!names.TryAdd(name, ++groups))
            {
                throw new FormatException($"duplicate group name \"{name}\"");
            }

            output.Append('(');
            return close + 1;
        }

        if (rest.StartsWith("=") || rest.StartsWith("!") || rest.StartsWith("<=") || rest.StartsWith("<!"))
        {
            throw new FormatException("lookahead and lookbehind (?=, ?!, ?<=, ?<!) are not RE2 syntax");
        }

        if (rest.StartsWith(">"))
        {
            throw new FormatException("atomic groups (?>…) are not RE2 syntax");
        }

        if (rest.StartsWith("("))
        {
            throw new FormatException("conditionals (?(…)…) are not RE2 syntax");
        }

        if (rest.StartsWith("#"))
        {
            throw new FormatException("comments (?#…) are not RE2 syntax");
        }

        if (rest.StartsWith("'") || rest.StartsWith("P="))
        {
            throw new FormatException("this group syntax is not RE2 (use (?P<name>…))");
        }

        // Flags: (?flags) or (?flags:…), flags among i m s U, optionally negated with '-'.
        var j = i + 2;
        while (j < pattern.Length && pattern[j] is 'i' or 'm' or 's' or '-')
        {
            j++;
        }

        if (j < pattern.Length && pattern[j] == 'U')
        {
            throw new FormatException("the ungreedy flag U is not supported (write lazy quantifiers such as *? instead)");
        }

        if (j >= pattern.Length || pattern[j] is not (')' or ':') || j == i + 2 && pattern[j] == ')')
        {
            throw new FormatException($"invalid or unsupported group syntax at offset {i}");
        }

        output.Append(pattern, i, j + 1 - i);
        return j + 1;
    }

    private static int Repeat(string pattern, int i, StringBuilder output)
    {
        var close = pattern.IndexOf('}', i);
        if (close > i + 1)
        {
            var body = pattern.AsSpan(i + 1, close - i - 1);
            var comma = body.IndexOf(',');
            var min = comma < 0 ? body : body[..comma];
            var max = comma < 0 ? body : body[(comma + 1)..];
            if (IsDigits(min) && (max.IsEmpty || IsDigits(max)))
            {
                if (int.Parse(min, CultureInfo.InvariantCulture) > MaxRepeat || (!max.IsEmpty && int.Parse(max, CultureInfo.InvariantCulture) > MaxRepeat))
                {
                    throw new FormatException($"repeat count over {MaxRepeat} in {{{body}}}");
                }

                output.Append(pattern, i, close + 1 - i);
                return close + 1;
            }
        }

        // Not a repetition: RE2 reads '{' as a literal.
        Literal(output, '{');
        return i + 1;
    }

    private static int Class(string pattern, int i, StringBuilder output)
    {
        output.Append('[');
        i++;
        if (i < pattern.Length && pattern[i] == '^')
        {
            output.Append('^');
            i++;
        }

        var first = true;
        while (true)
        {
            if (i >= pattern.Length)
            {
                throw new FormatException("missing closing ] of a character class");
            }

            var c = pattern[i];
            if (c == ']' && !first)
            {
                output.Append(']');
                return i + 1;
            }

            first = false;
            if (c == '[' && pattern.AsSpan(i).StartsWith("[:"))
            {
                var end = pattern.IndexOf(":]", i + 2, StringComparison.Ordinal);
                if (end > 0)
                {
                    output.Append(Posix(pattern[(i + 2)..end]));
                    i = end + 2;
                    continue;
                }
            }

            if (c == '\\')
            {
                i = Escape(pattern, i, output, inClass: true);
                continue;
            }

            if (char.IsSurrogate(c))
            {
                throw new FormatException("characters outside the Basic Multilingual Plane are not supported inside a character class");
            }

            if (c == '-')
            {
                output.Append('-');
            }
            else
            {
                Literal(output, c);
            }

            i++;
        }
    }

    private static string Posix(string name) => name switch
    {
        "alnum" => "0-9A-Za-z",
        "alpha" => "A-Za-z",
        "ascii" => @"\u0000-\u007F",
        "blank" => @"\t\u0020",
        "cntrl" => @"\u0000-\u001F\u007F",
        "digit" => Digit,
        "graph" => @"!-\u007E",
        "lower" => "a-z",
        "print" => @"\u0020-\u007E",
        "punct" => @"!-/:-@\u005B-\u0060\u007B-\u007E",
        "space" => @"\t\n\v\f\r\u0020",
        "upper" => "A-Z",
        "word" => Word,
        "xdigit" => "0-9A-Fa-f",
        _ when name.StartsWith('^') => throw new FormatException($"negated POSIX class [:{name}:] is not supported"),
        _ => throw new FormatException($"unknown POSIX class [:{name}:]"),
    };

    private static int Escape(string pattern, int i, StringBuilder output, bool inClass)
    {
        if (i + 1 >= pattern.Length)
        {
            throw new FormatException("trailing backslash at end of expression");
        }

        var c = pattern[i + 1];
        i += 2;
        switch (c)
        {
            case 'a': Literal(output, '\a'); return i;
            case 'f': Literal(output, '\f'); return i;
            case 't': Literal(output, '\t'); return i;
            case 'n': Literal(output, '\n'); return i;
            case 'r': Literal(output, '\r'); return i;
            case 'v': Literal(output, '\v'); return i;
            case 'd': output.Append(inClass ? Digit : "[" + Digit + "]"); return i;
            case 'D': output.Append(inClass ? NotDigit : "[^" + Digit + "]"); return i;
            case 'w': output.Append(inClass ? Word : "[" + Word + "]"); return i;
            case 'W': output.Append(inClass ? NotWord : "[^" + Word + "]"); return i;
            case 's': output.Append(inClass ? Space : "[" + Space + "]"); return i;
            case 'S': output.Append(inClass ? NotSpace : "[^" + Space + "]"); return i;
            case 'A' or 'z' or 'b' or 'B' when !inClass: output.Append('\\').Append(c); return i;
            case 'p' or 'P': return UnicodeClass(pattern, i, c, output);
            case 'x': return Hex(pattern, i, output, inClass);
            case 'Q': return Quoted(pattern, i, output, inClass);
            case >= '0' and <= '7': return Octal(pattern, i - 1, output);
            case '8' or '9': throw new FormatException($"backreference \\{c} is not RE2 syntax");
            case < (char)0x80 when !char.IsAsciiLetterOrDigit(c): Literal(output, c); return i;
            default: throw new FormatException($"escape \\{c} is not RE2 syntax");
        }
    }

    private static int UnicodeClass(string pattern, int i, char p, StringBuilder output)
    {
        string name;
        if (i < pattern.Length && pattern[i] == '{')
        {
            var close = pattern.IndexOf('}', i);
            if (close < 0)
            {
                throw new FormatException($"missing }} in \\{p}{{…}}");
            }

            name = pattern[(i + 1)..close];
            i = close + 1;
        }
        else if (i < pattern.Length)
        {
            name = pattern[i].ToString();
            i++;
        }
        else
        {
            throw new FormatException($"\\{p} needs a class name");
        }

        if (name.StartsWith('^'))
        {
            p = p == 'p' ? 'P' : 'p';
            name = name[1..];
        }

        output.Append('\\').Append(p).Append('{').Append(name).Append('}');
        return i;
    }

    private static int Hex(string pattern, int i, StringBuilder output, bool inClass)
    {
        int code;
        if (i < pattern.Length && pattern[i] == '{')
        {
            var close = pattern.IndexOf('}', i);
            if (close < 0 || !int.TryParse(pattern.AsSpan(i + 1, close - i - 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out code) || code > 0x10FFFF)
            {
                throw new FormatException("invalid \\x{…} escape");
            }

            i = close + 1;
        }
        else if (i + 2 <= pattern.Length && int.TryParse(pattern.AsSpan(i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out code))
        {
            i += 2;
        }
        else
        {
            throw new FormatException("invalid \\x escape (two hex digits or \\x{…})");
        }

        if (code <= 0xFFFF)
        {
            Literal(output, (char)code);
        }
        else if (inClass)
        {
            throw new FormatException("characters outside the Basic Multilingual Plane are not supported inside a character class");
        }
        else
        {
            var pair = char.ConvertFromUtf32(code);
            output.Append("(?:");
            Literal(output, pair[0]);
            Literal(output, pair[1]);
            output.Append(')');
        }

        return i;
    }

    private static int Quoted(string pattern, int i, StringBuilder output, bool inClass)
    {
        var end = pattern.IndexOf(@"\E", i, StringComparison.Ordinal);
        var text = end < 0 ? pattern[i..] : pattern[i..end];
        if (!inClass && text.Length > 0)
        {
            output.Append("(?:");
        }

        foreach (var ch in text)
        {
            Literal(output, ch);
        }

        if (!inClass && text.Length > 0)
        {
            output.Append(')');
        }

        return end < 0 ? pattern.Length : end + 2;
    }

    // RE2: \0, \0nn, \1nn…: octal; a single non-zero digit would be a backreference.
    private static int Octal(string pattern, int i, StringBuilder output)
    {
        if (pattern[i] != '0' && (i + 1 >= pattern.Length || pattern[i + 1] is < '0' or > '7'))
        {
            throw new FormatException($"backreference \\{pattern[i]} is not RE2 syntax");
        }

        var code = 0;
        var digits = 0;
        while (digits < 3 && i < pattern.Length && pattern[i] is >= '0' and <= '7')
        {
            code = (code * 8) + (pattern[i] - '0');
            i++;
            digits++;
        }

        Literal(output, (char)code);
        return i;
    }

    private static void Literal(StringBuilder output, char c)
    {
        if (char.IsAsciiLetterOrDigit(c) || c == '_' || c > 0x7F)
        {
            output.Append(c);
        }
        else
        {
            output.Append(@"\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
        }
    }

    private static bool IsWord(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDigits(ReadOnlySpan<char> text) => !text.IsEmpty && !text.ContainsAnyExceptInRange('0', '9');
}
