namespace RemoteWrite.Testing;

/// <summary>A fact that needs Debian's <c>vmagent</c> (see <see cref="VmagentBinary"/>).</summary>
public sealed class VmagentFactAttribute() : RequiresBinaryFactAttribute(VmagentBinary.Found, VmagentBinary.Missing);
