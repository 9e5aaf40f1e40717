namespace RemoteWrite.Core.Azure.Status;

/// <summary>One failed send as the status page shows it: when, Azure's status (0: no answer) and reason.</summary>
public readonly record struct EndpointError(DateTimeOffset Time, int Status, string Reason);

/// <summary>
/// What one ingestion endpoint of one destination did lately: the last accepted POST, the last
/// <see cref="KeptErrors"/> failures with Azure's reason (<see cref="AzureErrorMessage"/>), and the
/// points it accepted over the last minute. Never holds a token.
/// </summary>
public sealed class EndpointStatus(string destination, string endpoint, TimeProvider time)
{
    public const int KeptErrors = 5;

    private readonly Lock _gate = new();
    private readonly EndpointError[] _errors = new EndpointError[KeptErrors];
    private int _errorCount;
    private DateTimeOffset? _lastSuccess;

    public string Destination { get; } = destination;

    public string Endpoint { get; } = endpoint;

    /// <summary>Samples and histogram points this endpoint accepted.</summary>
    public RateWindow Accepted { get; } = new(time);

    public DateTimeOffset? LastSuccess
    {
        get
        {
            lock (_gate)
            {
                return _lastSuccess;
            }
        }
    }

    public void Succeeded(int points)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            _lastSuccess = now;
        }

        Accepted.Add(points);
    }

    public void Failed(int status, string reason)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            _errors[_errorCount % KeptErrors] = new EndpointError(now, status, reason);
            _errorCount++;
        }
    }

    /// <summary>The last failures, newest first.</summary>
    public IReadOnlyList<EndpointError> RecentErrors()
    {
        lock (_gate)
        {
            var count = Math.Min(_errorCount, KeptErrors);
            var list = new EndpointError[count];
            for (var i = 0; i < count; i++)
            {
                list[i] = _errors[(_errorCount - 1 - i) % KeptErrors];
            }

            return list;
        }
    }
}
