namespace RemoteWrite.Testing;

/// <summary>A fact that drives Debian's headless Chromium through <c>chromedriver</c> (packages <c>chromium</c> and <c>chromium-driver</c>).</summary>
public sealed class ChromiumFactAttribute() : RequiresBinaryFactAttribute(
    (File.Exists(ChromiumPath) ? ChromiumPath : null, $"{ChromiumPath} is not installed (apt-get install chromium)"),
    (File.Exists(ChromeDriverPath) ? ChromeDriverPath : null, $"{ChromeDriverPath} is not installed (apt-get install chromium-driver)"))
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public const string ChromeDriverPath = "/usr/bin/chromedriver";
}
