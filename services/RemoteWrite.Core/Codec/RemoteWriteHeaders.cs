using RemoteWrite.Core.Errors;

namespace RemoteWrite.Core.Codec;

/// <summary>
/// Header names and content negotiation of remote-write 1.0 and 2.0
/// (prometheus.io/docs/specs/remote_write_spec and remote_write_spec_2_0).
/// </summary>
public static class RemoteWriteHeaders
{
    public const string VersionHeader = "X-Prometheus-Remote-Write-Version";
    public const string SamplesWritten = "X-Prometheus-Remote-Write-Samples-Written";
    public const string HistogramsWritten = "X-Prometheus-Remote-Write-Histograms-Written";
    public const string ExemplarsWritten = "X-Prometheus-Remote-Write-Exemplars-Written";

    public const string V1ContentType = "application/x-protobuf";
    public const string V2ContentType = "application/x-protobuf;proto=io.prometheus.write.v2.Request";
    public const string V1Version = "0.1.0";
    public const string V2Version = "2.0.0";

    /// <summary>
    /// Picks the protocol from Content-Type (the 2.0 spec makes it authoritative) and checks
    /// Content-Encoding. A missing Content-Type is taken as 1.0, as Prometheus' own receiver does.
    /// Throws a 415 <see cref="RemoteWriteException"/> for anything else.
    /// </summary>
    public static RemoteWriteVersion Negotiate(string? contentType, string? contentEncoding)
    {
        if (!string.IsNullOrWhiteSpace(contentEncoding)
            && !contentEncoding.Trim().Equals("snappy", StringComparison.OrdinalIgnoreCase))
        {
            throw RemoteWriteException.Unsupported("unsupported Content-Encoding; only snappy is accepted");
        }

        if (string.IsNullOrWhiteSpace(contentType))
        {
            return RemoteWriteVersion.V1;
        }

        var parts = contentType.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || !parts[0].Equals(V1ContentType, StringComparison.OrdinalIgnoreCase))
        {
            throw RemoteWriteException.Unsupported("unsupported Content-Type; expected application/x-protobuf");
        }

        foreach (var parameter in parts.AsSpan(1))
        {
            var eq = parameter.IndexOf('=');
            if (eq < 0 || !parameter.AsSpan(0, eq).Trim().Equals("proto", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var proto = parameter.AsSpan(eq + 1).Trim().Trim('"');
            if (proto.Equals("prometheus.WriteRequest", StringComparison.Ordinal))
            {
                return RemoteWriteVersion.V1;
            }

            if (proto.Equals("io.prometheus.write.v2.Request", StringComparison.Ordinal))
            {
                return RemoteWriteVersion.V2;
            }

            throw RemoteWriteException.Unsupported("unsupported proto message; expected prometheus.WriteRequest or io.prometheus.write.v2.Request");
        }

        return RemoteWriteVersion.V1;
    }
}
