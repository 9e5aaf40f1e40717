using System.Globalization;

namespace RemoteWrite.Testing;

/// <summary>Reads one metric out of Prometheus text exposition format.</summary>
public static class PrometheusText
{
    /// <summary>The metric's value summed over its label sets (only those containing <paramref name="labelFilter"/> when given).</summary>
    public static double Sum(string text, string name, string? labelFilter = null)
    {
        double sum = 0;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('#') || !line.StartsWith(name, StringComparison.Ordinal))
            {
                continue;
            }

            // Not a longer name that starts with this one.
            var rest = line[name.Length..];
            if (rest.Length == 0 || (rest[0] != ' ' && rest[0] != '{'))
            {
                continue;
            }

            if (labelFilter is not null && !rest.Contains(labelFilter, StringComparison.Ordinal))
            {
                continue;
            }

            // "name{labels} value [timestamp]" or "name value [timestamp]".
            var afterLabels = rest[0] == '{' ? rest[(rest.LastIndexOf('}') + 1)..] : rest;
            var value = afterLabels.Trim().Split(' ')[0];

            sum += double.Parse(value, CultureInfo.InvariantCulture);
        }

        return sum;
    }
}
