namespace RemoteWrite.Core.Identity;

/// <summary>What readiness needs to know about the token, without the token.</summary>
public interface ITokenStatus
{
    /// <summary>True while a token that has not expired (nor been refused) is held.</summary>
    bool HasToken { get; }

    DateTimeOffset? ExpiresOn { get; }

    /// <summary>The last refresh error (a message, never a secret), or null after a success.</summary>
    string? LastError { get; }
}
