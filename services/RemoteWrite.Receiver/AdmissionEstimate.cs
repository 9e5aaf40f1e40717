using RemoteWrite.Core.Codec;

namespace RemoteWrite.Receiver;

/// <summary>What a remote-write request holds while it is prepared, known before decoding.</summary>
internal static class AdmissionEstimate
{
    /// <summary>
    /// The body, its parts (about the body again), the decoded body and one rewritten copy of it (2.0
    /// conversion or a filter): 2 × (compressed + decoded). The decoded length is the snappy header's,
    /// checked against the limit (throws 400/413 as the decoder would).
    /// </summary>
    public static long WhilePreparing(ReadOnlySpan<byte> body, int maxDecodedBytes) =>
        2L * (body.Length + SnappyCodec.GetDecodedLength(body, maxDecodedBytes));
}
