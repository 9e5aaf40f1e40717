namespace RemoteWrite.Testing;

/// <summary>A fact that needs Debian's <c>prometheus</c> binary (see <see cref="PrometheusBinary"/>).</summary>
public sealed class PrometheusFactAttribute() : RequiresBinaryFactAttribute(
    PrometheusBinary.Path,
    "prometheus binary not found (apt-get install prometheus, or set PROMETHEUS_BIN)");
