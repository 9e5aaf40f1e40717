namespace RemoteWrite.LocalAzure.Faults;

/// <summary>Where a request is going, for choosing which faults apply.</summary>
internal enum FaultTarget
{
    Ingestion,
    Token,
}

/// <summary>What to do to one request.</summary>
internal readonly record struct FaultDecision(int? Status, int? RetryAfterSeconds, int LatencyMs, bool Reset)
{
    public bool IsNone => Status is null && LatencyMs == 0 && !Reset;
}

/// <summary>Holds the active <see cref="FaultPlan"/> and decides per request until it runs out.</summary>
internal sealed class FaultInjector(TimeProvider time)
{
    private readonly Lock _gate = new();
    private FaultPlan? _plan;
    private DateTimeOffset? _until;
    private int? _remaining;

    public FaultPlan? Active
    {
        get
        {
            lock (_gate)
            {
                return Expired() ? null : _plan;
            }
        }
    }

    public void Set(FaultPlan plan)
    {
        lock (_gate)
        {
            _plan = plan;
            _until = plan.Seconds is { } s ? time.GetUtcNow().AddSeconds(s) : null;
            _remaining = plan.Requests;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _plan = null;
        }
    }

    public FaultDecision Decide(FaultTarget target)
    {
        lock (_gate)
        {
            if (_plan is null || Expired() || !Applies(_plan.Target, target))
            {
                return default;
            }

            if (_remaining is not null)
            {
                _remaining--;
            }

            return new FaultDecision(_plan.Status, _plan.RetryAfterSeconds, _plan.LatencyMs ?? 0, _plan.Reset);
        }
    }

    private bool Expired()
    {
        if (_plan is null)
        {
            return true;
        }

        if ((_until is { } until && time.GetUtcNow() >= until) || _remaining is <= 0)
        {
            _plan = null;
            return true;
        }

        return false;
    }

    private static bool Applies(string? planTarget, FaultTarget target) => (planTarget ?? "ingestion").ToLowerInvariant() switch
    {
        "all" => true,
        "token" => target == FaultTarget.Token,
        _ => target == FaultTarget.Ingestion,
    };
}
