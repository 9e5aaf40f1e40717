namespace RemoteWrite.Testing;

/// <summary>Debian's vmagent (package <c>victoria-metrics</c>, 1.79 on bookworm), the peer the side-by-side benchmark measures against.</summary>
public static class VmagentBinary
{
    public const string Path = "/usr/bin/vmagent";

    /// <summary>Why a test that needs it is skipped where it is missing.</summary>
    public const string Missing = "vmagent binary not found (apt-get install victoria-metrics)";

    public static string? Found => File.Exists(Path) ? Path : null;
}
