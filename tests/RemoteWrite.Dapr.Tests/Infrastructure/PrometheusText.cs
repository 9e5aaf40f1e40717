using System.Globalization;

namespace RemoteWrite.Dapr.Tests.Infrastructure;

/// <summary>Reads one metric out of Prometheus text exposition format.</summary>
public static class PrometheusText
{
    public static double Sum(string text, string name, string? labelFilter = null)
    {
        double sum = 0;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('#') || !line.StartsWith(name, StringComparison.Ordinal))
            {
                continue;
            }

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
