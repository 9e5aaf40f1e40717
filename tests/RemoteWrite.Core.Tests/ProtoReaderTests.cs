using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Errors;

namespace RemoteWrite.Core.Tests;

public sealed class ProtoReaderTests
{
    [Fact]
    public void Reads_a_varint_of_ten_bytes()
    {
        byte[] max = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01];
        var reader = new ProtoReader(max);
        Assert.Equal(ulong.MaxValue, reader.ReadVarint());
        Assert.True(reader.IsAtEnd);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02 })] // 65th bit set
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })] // 11 bytes
    [InlineData(new byte[] { 0x80 })] // truncated
    public void Varint_overflow_and_truncation_are_400(byte[] bytes)
    {
        var error = Assert.Throws<RemoteWriteException>(() => new ProtoReader(bytes).ReadVarint());
        Assert.Equal(400, error.StatusCode);
    }

    [Fact]
    public void Length_past_the_end_is_400()
    {
        byte[] bytes = [0x0A, 0x05, 0x01];
        Assert.Throws<RemoteWriteException>(() =>
        {
            var reader = new ProtoReader(bytes);
            reader.TryReadTag(out _, out _);
            reader.ReadLengthDelimited();
        });
    }

    [Fact]
    public void Groups_and_field_zero_are_400()
    {
        Assert.Throws<RemoteWriteException>(() => new ProtoReader([0x0B]).Skip(WireType.StartGroup));
        Assert.Throws<RemoteWriteException>(() => new ProtoReader([0x00, 0x01]).TryReadTag(out _, out _));
    }
}
