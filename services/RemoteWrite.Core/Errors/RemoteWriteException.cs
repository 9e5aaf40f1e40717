namespace RemoteWrite.Core.Errors;

/// <summary>
/// The one error type the protocol library throws for bad input. The message is short and
/// safe to return to the sender; it never contains label values or body bytes.
/// </summary>
public sealed class RemoteWriteException(RemoteWriteError error, string message) : Exception(message)
{
    public RemoteWriteError Error { get; } = error;

    /// <summary>The HTTP status a receiver answers with: 400, 413 or 415.</summary>
    public int StatusCode => Error switch
    {
        RemoteWriteError.TooLarge => 413,
        RemoteWriteError.Unsupported => 415,
        _ => 400,
    };

    public static RemoteWriteException Invalid(string message) => new(RemoteWriteError.Invalid, message);

    public static RemoteWriteException TooLarge(string message) => new(RemoteWriteError.TooLarge, message);

    public static RemoteWriteException Unsupported(string message) => new(RemoteWriteError.Unsupported, message);
}
