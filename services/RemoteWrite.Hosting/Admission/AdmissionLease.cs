namespace RemoteWrite.Hosting.Admission;

/// <summary>
/// What one request holds of the <see cref="InFlightBudget"/>: taken by the admission filter before
/// the body is read, resized by the handler as it learns what it will hold, given back when it ends.
/// The handler finds it in <c>HttpContext.Features</c>.
/// </summary>
public sealed class AdmissionLease : IDisposable
{
    private readonly InFlightBudget _budget;
    private long _bytes;
    private bool _released;

    internal AdmissionLease(InFlightBudget budget, long bytes)
    {
        _budget = budget;
        _bytes = bytes;
    }

    public long Bytes => _bytes;

    /// <summary>Holds <paramref name="bytes"/> from now on; false (nothing changed) when growing does not fit.</summary>
    public bool TryResize(long bytes)
    {
        if (!_budget.TryAdd(bytes - _bytes, _bytes))
        {
            return false;
        }

        _bytes = bytes;
        return true;
    }

    public void Dispose()
    {
        if (!_released)
        {
            _released = true;
            _budget.Leave(_bytes);
        }
    }
}
