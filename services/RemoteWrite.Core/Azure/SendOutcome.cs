namespace RemoteWrite.Core.Azure;

/// <summary>What Azure Monitor's answer to one POST means for the data (CONTRACT.md §2).</summary>
public enum SendOutcome
{
    /// <summary>2xx: stored (or silently dropped by Azure as OldData, which the relay filtered first).</summary>
    Accepted,

    /// <summary>429, 5xx, timeout or connection error: send again later.</summary>
    Retry,

    /// <summary>401/403: the token was refused (a new role assignment takes ~30 minutes): refresh and retry.</summary>
    Unauthorized,

    /// <summary>Other 4xx (400, 413 …): the body can never succeed.</summary>
    Rejected,

    /// <summary>No token is held: nothing was sent.</summary>
    NoToken,
}
