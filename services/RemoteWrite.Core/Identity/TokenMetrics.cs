using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace RemoteWrite.Core.Identity;

/// <summary>
/// Token keeper counters, exported as <c>remotewrite_identity_*</c>. Never the token itself. With
/// several destinations each keeper gets <see cref="ForDestination"/>: the same instruments, its
/// measurements labelled <c>destination</c>.
/// </summary>
public sealed class TokenMetrics
{
    public const string MeterName = "RemoteWrite.Identity";

    private readonly Instruments _instruments;
    private readonly KeyValuePair<string, object?>[] _tags;

    public TokenMetrics(IMeterFactory meterFactory)
        : this(new Instruments(meterFactory.Create(MeterName)), [])
    {
    }

    private TokenMetrics(Instruments instruments, KeyValuePair<string, object?>[] tags)
    {
        _instruments = instruments;
        _tags = tags;
    }

    /// <summary>The same instruments for the keeper of one destination's identity.</summary>
    public TokenMetrics ForDestination(string destination) => new(_instruments, [new("destination", destination)]);

    public void Refreshed() => _instruments.Refreshes.Add(1, _tags);

    public void Failed() => _instruments.Failures.Add(1, _tags);

    public void CredentialBuilt() => _instruments.Credentials.Add(1, _tags);

    /// <summary>Publishes whether a token is held and how long it stays valid.</summary>
    public void Track(ITokenStatus status, TimeProvider time) => _instruments.Track(status, time, _tags);

    private sealed class Instruments
    {
        private readonly ConcurrentQueue<(ITokenStatus Status, TimeProvider Time, KeyValuePair<string, object?>[] Tags)> _tracked = new();

        public Instruments(Meter meter)
        {
            Refreshes = meter.CreateCounter<long>("remotewrite.identity.token.refreshes", "{refresh}", "Successful token fetches.");
            Failures = meter.CreateCounter<long>("remotewrite.identity.token.failures", "{failure}", "Failed token fetches (retried with backoff, forever).");
            Credentials = meter.CreateCounter<long>("remotewrite.identity.credential.builds", "{credential}", "Credentials built: at start, after a failure, a refused token or a changed credential file.");

            // At zero from start: an alert on token failures works before the first one.
            Refreshes.Add(0);
            Failures.Add(0);
            Credentials.Add(0);

            meter.CreateObservableGauge(
                "remotewrite.identity.token.valid",
                () => Observe(t => t.Status.HasToken ? 1 : 0),
                "{token}",
                "1 while a valid token is held.");
            meter.CreateObservableGauge(
                "remotewrite.identity.token.expires_in",
                () => Observe(t => t.Status.ExpiresOn is { } expires ? Math.Max(0, (expires - t.Time.GetUtcNow()).TotalSeconds) : 0),
                "s",
                "Seconds until the held token expires.");
        }

        public Counter<long> Refreshes { get; }

        public Counter<long> Failures { get; }

        public Counter<long> Credentials { get; }

        public void Track(ITokenStatus status, TimeProvider time, KeyValuePair<string, object?>[] tags) => _tracked.Enqueue((status, time, tags));

        private IEnumerable<Measurement<T>> Observe<T>(Func<(ITokenStatus Status, TimeProvider Time, KeyValuePair<string, object?>[] Tags), T> value)
            where T : struct
        {
            foreach (var tracked in _tracked)
            {
                yield return new Measurement<T>(value(tracked), tracked.Tags);
            }
        }
    }
}
