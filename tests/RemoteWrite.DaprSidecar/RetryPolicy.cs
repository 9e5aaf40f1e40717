namespace RemoteWrite.DaprSidecar;

/// <summary>
/// A Dapr resiliency retry policy (dapr/kit retry/retry.go <c>Config</c>): <c>constant</c> waits
/// <see cref="Duration"/> (default 5 s); <c>exponential</c> starts at <see cref="InitialInterval"/>
/// (default 500 ms) and grows by <see cref="Multiplier"/> (default 1.5) up to <see cref="MaxInterval"/>
/// (default 60 s, cenkalti/backoff's defaults); <see cref="MaxRetries"/> -1 retries forever. daprd
/// adds ±50 % jitter; the stand-in does not, so a test's timeline is predictable.
/// </summary>
public sealed record RetryPolicy(bool Exponential, TimeSpan Duration, TimeSpan InitialInterval, double Multiplier, TimeSpan MaxInterval, long MaxRetries)
{
    public static RetryPolicy Default { get; } = new(false, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(500), 1.5, TimeSpan.FromSeconds(60), -1);

    /// <summary>The wait before retry number <paramref name="attempt"/> + 1 (0 = the first retry).</summary>
    public TimeSpan Delay(int attempt)
    {
        if (!Exponential)
        {
            return Duration;
        }

        var ticks = InitialInterval.Ticks * Math.Pow(Multiplier, Math.Min(attempt, 64));
        return ticks >= MaxInterval.Ticks ? MaxInterval : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>True once <paramref name="attempts"/> retries have been spent (never when <see cref="MaxRetries"/> is negative).</summary>
    public bool Exhausted(int attempts) => MaxRetries >= 0 && attempts >= MaxRetries;
}
