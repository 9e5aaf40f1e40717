using System.Collections.Concurrent;

namespace RemoteWrite.Forwarder;

/// <summary>
/// Reasons data was dropped as never valid, collected between reports so the log gets one line per
/// reason per interval (with a count) instead of one per message.
/// </summary>
public sealed class InvalidDataReport
{
    private ConcurrentDictionary<string, int> _reasons = new(StringComparer.Ordinal);

    public void Add(string reason) => _reasons.AddOrUpdate(reason, 1, (_, n) => n + 1);

    public IReadOnlyDictionary<string, int> Take() => Interlocked.Exchange(ref _reasons, new ConcurrentDictionary<string, int>(StringComparer.Ordinal));
}
