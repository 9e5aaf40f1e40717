using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using RemoteWrite.LocalAzure.Options;

namespace RemoteWrite.LocalAzure.Ingestion;

/// <summary>
/// Who holds <i>Monitoring Metrics Publisher</i> on which DCR (CONTRACT §2). No assignments means
/// every identity on every DCR. A delay refuses an identity for its first N seconds, as a fresh
/// role assignment does for up to ~30 minutes (CONTRACT §2, troubleshooting page).
/// </summary>
internal sealed class RoleAssignments
{
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _firstSeen = new(StringComparer.OrdinalIgnoreCase);
    private volatile IReadOnlyList<RoleAssignmentOptions> _assignments;
    private volatile int _delaySeconds;

    public RoleAssignments(IOptions<LocalAzureOptions> options, TimeProvider time)
    {
        _time = time;
        _assignments = [.. options.Value.RoleAssignments];
        _delaySeconds = options.Value.RoleAssignmentDelaySeconds;
    }

    public IReadOnlyList<RoleAssignmentOptions> Assignments => _assignments;

    public int DelaySeconds => _delaySeconds;

    /// <summary>Replaces the assignments and the delay; forgets when identities were first seen.</summary>
    public void Set(IReadOnlyList<RoleAssignmentOptions> assignments, int delaySeconds)
    {
        _assignments = [.. assignments];
        _delaySeconds = delaySeconds;
        _firstSeen.Clear();
    }

    public bool Allows(string principal, string objectId, string dcr)
    {
        var firstSeen = _firstSeen.GetOrAdd(principal, _ => _time.GetUtcNow());
        if (_delaySeconds > 0 && _time.GetUtcNow() - firstSeen < TimeSpan.FromSeconds(_delaySeconds))
        {
            return false;
        }

        var assignments = _assignments;
        return assignments.Count == 0 || assignments.Any(a =>
            (a.PrincipalId == "*" || string.Equals(a.PrincipalId, principal, StringComparison.OrdinalIgnoreCase)
                || string.Equals(a.PrincipalId, objectId, StringComparison.OrdinalIgnoreCase))
            && (a.Dcr == "*" || string.Equals(a.Dcr, dcr, StringComparison.OrdinalIgnoreCase)));
    }
}
