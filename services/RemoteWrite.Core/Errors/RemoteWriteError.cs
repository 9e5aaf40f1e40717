namespace RemoteWrite.Core.Errors;

/// <summary>Why a remote-write body was refused; the HTTP layer maps each to one status code.</summary>
public enum RemoteWriteError
{
    /// <summary>The body can never be valid (bad snappy, bad protobuf, missing <c>__name__</c>, bad 2.0 ref): 400.</summary>
    Invalid,

    /// <summary>The body (compressed or decoded) is larger than the configured limit: 413.</summary>
    TooLarge,

    /// <summary>Unsupported content type, encoding or protocol version: 415.</summary>
    Unsupported,
}
