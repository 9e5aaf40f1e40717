using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace RemoteWrite.Hosting.Admission;

/// <summary>
/// The bytes and requests a service holds at once, shared by its receiving endpoints. A request takes
/// a lease before its body is read and grows it before decoding; a lease refused means 503 at once.
/// A request larger than the whole byte budget is admitted only when nothing else is held, so it can
/// never be starved and never runs beside others.
/// </summary>
public sealed class InFlightBudget
{
    public const string MeterName = "RemoteWrite.Admission";

    private readonly long _maxBytes;
    private readonly int _maxRequests;
    private readonly Counter<long> _refused;
    private readonly object _gate = new();
    private long _bytes;
    private int _requests;

    public InFlightBudget(IOptions<AdmissionOptions> options, IMeterFactory meterFactory)
    {
        _maxBytes = options.Value.MaxInFlightBytes;
        _maxRequests = options.Value.MaxConcurrentRequests;
        var meter = meterFactory.Create(MeterName);
        _refused = meter.CreateCounter<long>("remotewrite.admission.refused", "{request}", "Requests answered 503 at once because a budget was spent, by budget.");
        meter.CreateObservableGauge("remotewrite.admission.inflight_bytes", () => Volatile.Read(ref _bytes), "By", "Bytes held by requests in flight.");
        meter.CreateObservableGauge("remotewrite.admission.inflight_requests", () => Volatile.Read(ref _requests), "{request}", "Requests in flight.");
        _refused.Add(0, Budget(RefusedBy.Bytes));
        _refused.Add(0, Budget(RefusedBy.Requests));
    }

    public enum RefusedBy
    {
        None,
        Bytes,
        Requests,
    }

    public long HeldBytes => Volatile.Read(ref _bytes);

    public int HeldRequests => Volatile.Read(ref _requests);

    /// <summary>A request slot and <paramref name="bytes"/>; null (and counted) when either budget is spent.</summary>
    public AdmissionLease? TryEnter(long bytes, out RefusedBy refusedBy)
    {
        lock (_gate)
        {
            if (_requests >= _maxRequests)
            {
                refusedBy = RefusedBy.Requests;
            }
            else if (!Fits(bytes))
            {
                refusedBy = RefusedBy.Bytes;
            }
            else
            {
                _requests++;
                _bytes += bytes;
                refusedBy = RefusedBy.None;
                return new AdmissionLease(this, bytes);
            }
        }

        _refused.Add(1, Budget(refusedBy));
        return null;
    }

    /// <summary>Changes a lease holding <paramref name="held"/> bytes by <paramref name="delta"/>.</summary>
    internal bool TryAdd(long delta, long held)
    {
        lock (_gate)
        {
            if (delta > 0 && _bytes + delta > _maxBytes && _bytes != held)
            {
                _refused.Add(1, Budget(RefusedBy.Bytes));
                return false;
            }

            _bytes += delta;
            return true;
        }
    }

    internal void Leave(long bytes)
    {
        lock (_gate)
        {
            _requests--;
            _bytes -= bytes;
        }
    }

    // Within the budget, or alone: a request larger than the budget may run when nothing else is held.
    private bool Fits(long bytes) => _bytes + bytes <= _maxBytes || _bytes == 0;

    private static KeyValuePair<string, object?> Budget(RefusedBy by) =>
        new("budget", by == RefusedBy.Bytes ? "bytes" : "requests");
}
