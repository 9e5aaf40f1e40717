namespace RemoteWrite.Dapr;

/// <summary>
/// Keys of the metadata the ingress attaches to each published part. daprd passes publish
/// metadata on to the subscriber as HTTP headers (pkg/runtime/subscription/postman/http/http.go,
/// <c>WithCustomHTTPMetadata</c>) and as <c>metadata</c> of a bulk entry, so the forwarder can
/// read them without decoding the body.
/// </summary>
public static class MessageMetadata
{
    /// <summary>Samples plus histogram points in the part.</summary>
    public const string Samples = "rw-samples";

    /// <summary>Oldest timestamp in the part, milliseconds since the epoch.</summary>
    public const string OldestTimestampMs = "rw-oldest-ms";

    /// <summary>The destination name the forwarder sends the part to.</summary>
    public const string Destination = "rw-destination";

    /// <summary>The content type every part is published with: the sidecar passes bytes through
    /// untouched only for a non-text type (CONTRACT.md §4).</summary>
    public const string ContentType = "application/octet-stream";
}
