namespace RemoteWrite.Testing.Malformed;

/// <summary>One bad request: its body and headers, and the statuses a correct receiver may answer.</summary>
/// <param name="ContentType">Null sends no Content-Type.</param>
/// <param name="ContentEncoding">Null sends no Content-Encoding.</param>
/// <param name="Version">X-Prometheus-Remote-Write-Version; null sends none.</param>
public sealed record MalformedBody(
    int Index,
    string Category,
    string Variant,
    byte[] Body,
    string? ContentType,
    string? ContentEncoding,
    string? Version,
    IReadOnlyList<int> Expected);
