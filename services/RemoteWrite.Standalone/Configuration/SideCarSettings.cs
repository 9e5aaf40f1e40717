using System.Globalization;
using RemoteWrite.Core.Configuration;

namespace RemoteWrite.Standalone.Configuration;

/// <summary>
/// The side car's own settings that are not part of another options class, with the raw text of
/// the values that must parse, so that a typo is reported at start rather than ignored.
/// </summary>
public sealed class SideCarSettings : IValidatedOptions
{
    public string? ListeningPort { get; set; }

    public string? TraceLogging { get; set; }

    public string? RefreshPercent { get; set; }

    public string? SendCertificateChain { get; set; }

    public string? Cluster { get; set; }

    public bool HasIngestionUrl { get; set; }

    public string? TargetHost { get; set; }

    public int? Port => int.TryParse(ListeningPort, NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : null;

    public bool IsTraceLogging => ParseBool(TraceLogging) ?? false;

    public IEnumerable<string> Validate()
    {
        if (!string.IsNullOrWhiteSpace(ListeningPort) && Port is not (> 0 and <= 65535))
        {
            yield return $"{SideCarVariables.ListeningPort} '{ListeningPort}' is not a port number (1-65535).";
        }

        if (!string.IsNullOrWhiteSpace(TraceLogging) && ParseBool(TraceLogging) is null)
        {
            yield return $"{SideCarVariables.TraceLogging} '{TraceLogging}' is not true or false.";
        }

        if (!string.IsNullOrWhiteSpace(SendCertificateChain) && ParseBool(SendCertificateChain) is null)
        {
            yield return $"{SideCarVariables.SendCertificateChain} '{SendCertificateChain}' is not true or false.";
        }

        if (!string.IsNullOrWhiteSpace(RefreshPercent) && !int.TryParse(RefreshPercent, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            yield return $"{SideCarVariables.ProxyRefreshPercent} '{RefreshPercent}' is not a whole number.";
        }

        if (!HasIngestionUrl && !string.IsNullOrWhiteSpace(TargetHost))
        {
            // The auth proxy appends the request's path to TARGET_HOST; the relay sends to one full URL.
            yield return $"{SideCarVariables.ProxyTargetHost} is the auth proxy's host-only setting; set {SideCarVariables.IngestionUrl} to the full ingestion URL instead.";
        }
    }

    internal static bool? ParseBool(string? text) => SideCarEnvironment.ParseBool(text);
}
