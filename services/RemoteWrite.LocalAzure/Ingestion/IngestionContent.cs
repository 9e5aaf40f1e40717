namespace RemoteWrite.LocalAzure.Ingestion;

/// <summary>
/// The headers Azure's ingestion accepts: remote-write 1.0 only (CONTRACT §2: "Body: remote-write 1.0"),
/// snappy-encoded, with the 1.0 content type or its <c>proto=prometheus.WriteRequest</c> spelling (CONTRACT §1).
/// The stand-in's own check, not Core's negotiation.
/// </summary>
internal static class IngestionContent
{
    public const string ContentType = "application/x-protobuf";
    public const string VersionHeader = "X-Prometheus-Remote-Write-Version";
    public const string Version = "0.1.0";

    /// <summary>Null when the headers describe a snappy remote-write 1.0 body, else why they do not (415).</summary>
    public static string? Refusal(string? contentType, string? contentEncoding)
    {
        if (!string.IsNullOrWhiteSpace(contentEncoding) && !contentEncoding.Trim().Equals("snappy", StringComparison.OrdinalIgnoreCase))
        {
            return "unsupported Content-Encoding; only snappy is accepted";
        }

        // No Content-Type is taken as 1.0, as Prometheus' own receiver does.
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return null;
        }

        var parts = contentType.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || !parts[0].Equals(ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return "unsupported Content-Type; expected application/x-protobuf";
        }

        foreach (var parameter in parts.AsSpan(1))
        {
            var eq = parameter.IndexOf('=');
            if (eq < 0 || !parameter.AsSpan(0, eq).Trim().Equals("proto", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            return parameter.AsSpan(eq + 1).Trim().Trim('"').Equals("prometheus.WriteRequest", StringComparison.Ordinal)
                ? null
                : "Only Prometheus remote-write 1.0 (prometheus.WriteRequest) is accepted.";
        }

        return null;
    }
}
