namespace RemoteWrite.Testing;

/// <summary>A fact that needs Debian's <c>prometheus</c> binary (see <see cref="PrometheusBinary"/>).</summary>
public sealed class PrometheusFactAttribute() : RequiresBinaryFactAttribute(PrometheusBinary.Path, PrometheusBinary.Missing);
