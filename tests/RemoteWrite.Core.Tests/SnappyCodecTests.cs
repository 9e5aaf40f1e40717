using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Errors;

namespace RemoteWrite.Core.Tests;

public sealed class SnappyCodecTests
{
    [Fact]
    public void Round_trips_bytes()
    {
        var data = new byte[100_000];
        new Random(1).NextBytes(data.AsSpan(0, 50_000));
        using var compressed = SnappyCodec.Encode(data);
        using var decoded = SnappyCodec.Decode(compressed.Span);
        Assert.Equal(data, decoded.Span.ToArray());
    }

    [Fact]
    public void Header_claiming_4_GiB_is_refused_before_any_large_allocation()
    {
        // Varint 0xFFFFFFFF: a decoded length of 4 GiB - 1, then a few bytes of "data".
        byte[] body = [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00, 0x01, 0x02];
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<RemoteWriteException>(() => SnappyCodec.Decode(body));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(413, error.StatusCode);
        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Header_over_a_configured_limit_is_413()
    {
        using var compressed = SnappyCodec.Encode(new byte[5000]);
        var error = Assert.Throws<RemoteWriteException>(() => SnappyCodec.Decode(compressed.Span, maxDecodedBytes: 4999));
        Assert.Equal(RemoteWriteError.TooLarge, error.Error);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80 })] // length varint never ends
    [InlineData(new byte[] { 0x0A, 0x00 })] // claims 10 bytes, holds none
    [InlineData(new byte[] { 0x05, 0xFF, 0xFF, 0xFF })] // bad tag bytes
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x01, 0x08, 0x61, 0x62, 0x63 })] // claims 1 byte, holds a 3-byte literal
    [InlineData(new byte[] { 0x00, 0x08, 0x61, 0x62, 0x63 })] // claims 0 bytes, holds a 3-byte literal
    public void Corrupt_input_is_400(byte[] body)
    {
        var error = Assert.Throws<RemoteWriteException>(() => SnappyCodec.Decode(body));
        Assert.Equal(400, error.StatusCode);
    }

    [Fact]
    public void A_header_that_declares_less_than_the_elements_hold_is_400()
    {
        // Found by the malformed-input suite: Snappier stops at the declared length and returned a prefix.
        var decoded = Enumerable.Range(0, 5000).Select(i => (byte)(i % 251)).ToArray();
        var compressed = SnappyCodec.EncodeToArray(decoded);
        var header = SnappyConcatenation.HeaderLength(compressed);
        byte[] lying = [.. ProtoVarint(4000), .. compressed.AsSpan(header)];

        var error = Assert.Throws<RemoteWriteException>(() => SnappyCodec.Decode(lying));
        Assert.Equal(400, error.StatusCode);
        using var honest = SnappyCodec.Decode(compressed);
        Assert.Equal(decoded, honest.Span.ToArray());
    }

    private static byte[] ProtoVarint(uint value)
    {
        var bytes = new List<byte>();
        for (; value >= 0x80; value >>= 7)
        {
            bytes.Add((byte)(value | 0x80));
        }

        bytes.Add((byte)value);
        return [.. bytes];
    }

    [Fact]
    public void Random_bytes_never_escape_as_another_exception()
    {
        var random = new Random(42);
        for (var i = 0; i < 2000; i++)
        {
            var body = new byte[random.Next(1, 200)];
            random.NextBytes(body);
            try
            {
                using var decoded = SnappyCodec.Decode(body, maxDecodedBytes: 1 << 20);
            }
            catch (RemoteWriteException)
            {
                // The only way out for bad input.
            }
        }
    }

    [Fact]
    public void A_header_declaring_more_than_the_stream_can_hold_is_400_before_any_buffer()
    {
        // 1 MiB declared (varint 0x80 0x80 0x40) in a 10-byte stream: at most 22 bytes per byte can come out.
        byte[] lying = [0x80, 0x80, 0x40, 0, 0, 0, 0, 0, 0, 0];

        var e = Assert.Throws<RemoteWrite.Core.Errors.RemoteWriteException>(() => SnappyCodec.GetDecodedLength(lying, SnappyCodec.DefaultMaxDecodedBytes));

        Assert.Equal(400, e.StatusCode);
        Assert.Contains("declared length", e.Message);
    }

    [Fact]
    public void The_most_compressible_input_still_decodes()
    {
        // Zeros compress to 64-byte copies of 3 bytes each: the bound snappy streams never pass.
        var zeros = new byte[4 * 1024 * 1024];
        var compressed = SnappyCodec.EncodeToArray(zeros);

        using var decoded = SnappyCodec.Decode(compressed);

        Assert.Equal(zeros.Length, decoded.Length);
        Assert.True(zeros.Length / compressed.Length > 15, $"ratio {zeros.Length / compressed.Length}");
    }
}
