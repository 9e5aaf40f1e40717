using System.Diagnostics.Metrics;

namespace RemoteWrite.Core.Identity;

/// <summary>Token keeper counters, exported as <c>remotewrite_identity_*</c>. Never the token itself.</summary>
public sealed class TokenMetrics
{
    public const string MeterName = "RemoteWrite.Identity";

    private readonly Meter _meter;
    private readonly Counter<long> _refreshes;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _credentials;

    public TokenMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _refreshes = _meter.CreateCounter<long>("remotewrite.identity.token.refreshes", "{refresh}", "Successful token fetches.");
        _failures = _meter.CreateCounter<long>("remotewrite.identity.token.failures", "{failure}", "Failed token fetches (retried with backoff, forever).");
        _credentials = _meter.CreateCounter<long>("remotewrite.identity.credential.builds", "{credential}", "Credentials built: at start, after a failure, a refused token or a changed credential file.");

        // At zero from start: an alert on token failures works before the first one.
        _refreshes.Add(0);
        _failures.Add(0);
        _credentials.Add(0);
    }

    public void Refreshed() => _refreshes.Add(1);

    public void Failed() => _failures.Add(1);

    public void CredentialBuilt() => _credentials.Add(1);

    /// <summary>Publishes whether a token is held and how long it stays valid.</summary>
    public void Track(ITokenStatus status, TimeProvider time)
    {
        _meter.CreateObservableGauge("remotewrite.identity.token.valid", () => status.HasToken ? 1 : 0, "{token}", "1 while a valid token is held.");
        _meter.CreateObservableGauge(
            "remotewrite.identity.token.expires_in",
            () => status.ExpiresOn is { } expires ? Math.Max(0, (expires - time.GetUtcNow()).TotalSeconds) : 0,
            "s",
            "Seconds until the held token expires.");
    }
}
