namespace RemoteWrite.LocalAzure.Ingestion;

/// <summary>A body the stand-in refuses, with the status Azure answers: 400 (invalid) or 413 (too large).</summary>
internal sealed class IngestionException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public static IngestionException Invalid(string message) => new(400, message);

    public static IngestionException TooLarge(string message) => new(413, message);
}
