using RemoteWrite.Core.Buffers;
using RemoteWrite.Core.Codec;

namespace RemoteWrite.Receiver;

/// <summary>What a remote-write request holds while it is prepared, known before decoding.</summary>
internal static class AdmissionEstimate
{
    /// <summary>
    /// Held per declared body byte before the body is read: 2 × (body + decoded), the decoded body
    /// taken as 8 × the compressed one (remote-write bodies shrink 5–8 times under snappy). Refusing
    /// on this guess costs the sender a retry; admitting on a low one would read bodies only to refuse them.
    /// </summary>
    public const double PerDeclaredByte = 2 * (1 + 8);

    /// <summary>
    /// The body, its parts (about the body again), the decoded body and one rewritten copy of it (2.0
    /// conversion or a filter), each as the pooled array it occupies (<see cref="BytePool.RentedLength"/>).
    /// The decoded length is the snappy header's, checked against the limit (throws 400/413 as the decoder would).
    /// </summary>
    public static long WhilePreparing(ReadOnlySpan<byte> body, int maxDecodedBytes) =>
        2 * (BytePool.RentedLength(body.Length) + BytePool.RentedLength(SnappyCodec.GetDecodedLength(body, maxDecodedBytes)));
}
