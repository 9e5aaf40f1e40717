namespace RemoteWrite.Fuzz.Tests;

/// <summary>A fact that needs AFL++'s <c>afl-fuzz</c> (Debian: <c>apt-get install afl++</c>).</summary>
public sealed class AflFactAttribute() : RequiresBinaryFactAttribute(
    new[] { "/usr/bin/afl-fuzz", "/usr/local/bin/afl-fuzz" }.FirstOrDefault(File.Exists),
    "afl-fuzz not found (apt-get install afl++)");
