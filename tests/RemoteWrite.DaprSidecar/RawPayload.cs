namespace RemoteWrite.DaprSidecar;

/// <summary>
/// The <c>rawPayload</c> metadata, on a publish (no CloudEvent envelope) or on a subscription (the
/// stored bytes are delivered as they are): components-contrib metadata/utils.go <c>IsRawPayload</c>
/// reads the key <c>rawPayload</c> with Go's <c>strconv.ParseBool</c>.
/// </summary>
public static class RawPayload
{
    public const string Key = "rawPayload";

    public static bool IsSet(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is not null && metadata.TryGetValue(Key, out var value) && value.Trim() is "1" or "t" or "T" or "TRUE" or "true" or "True";
}
