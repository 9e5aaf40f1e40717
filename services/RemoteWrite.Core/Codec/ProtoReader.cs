using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using RemoteWrite.Core.Errors;

namespace RemoteWrite.Core.Codec;

/// <summary>
/// A forward-only protobuf wire reader over a span: no allocation, and every malformed input
/// (truncation, varint overflow, bad wire type, length past the end) becomes a 400
/// <see cref="RemoteWriteException"/>. The hot path walks remote-write bodies with it
/// instead of building message objects (as VictoriaMetrics' hand-written unmarshaler does).
/// </summary>
public ref struct ProtoReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public ProtoReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    public readonly int Position => _position;

    public readonly bool IsAtEnd => _position >= _buffer.Length;

    /// <summary>Reads the next field's tag; false at the end of the buffer.</summary>
    public bool TryReadTag(out int field, out WireType wireType)
    {
        if (_position >= _buffer.Length)
        {
            field = 0;
            wireType = default;
            return false;
        }

        var tag = ReadVarint();
        if (tag > uint.MaxValue)
        {
            throw Malformed("tag out of range");
        }

        field = (int)(tag >> 3);
        wireType = (WireType)(tag & 7);
        if (field == 0)
        {
            throw Malformed("field number 0");
        }

        return true;
    }

    /// <summary>
    /// Reads the next whole field: <paramref name="whole"/> covers its tag and value, ready to be
    /// copied into another message as it is. False at the end of the buffer.
    /// </summary>
    public bool TryReadField(out int field, out ReadOnlySpan<byte> whole)
    {
        var start = _position;
        if (!TryReadTag(out field, out var wireType))
        {
            whole = default;
            return false;
        }

        Skip(wireType);
        whole = _buffer[start.._position];
        return true;
    }

    /// <summary>The value of a whole length-delimited field (as <see cref="TryReadField"/> returns it).</summary>
    public static ReadOnlySpan<byte> PayloadOf(ReadOnlySpan<byte> wholeField)
    {
        var reader = new ProtoReader(wholeField);
        reader.TryReadTag(out _, out var wireType);
        Expect(wireType, WireType.LengthDelimited);
        return reader.ReadLengthDelimited();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadVarint()
    {
        var buffer = _buffer;
        var pos = _position;
        if (pos < buffer.Length && buffer[pos] < 0x80)
        {
            _position = pos + 1;
            return buffer[pos];
        }

        return ReadVarintSlow();
    }

    private ulong ReadVarintSlow()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _buffer.Length)
            {
                throw Malformed("truncated varint");
            }

            var b = _buffer[_position++];
            if (shift == 63 && b > 1)
            {
                throw Malformed("varint overflow");
            }

            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw Malformed("varint overflow");
    }

    public long ReadInt64() => (long)ReadVarint();

    public uint ReadUInt32()
    {
        var value = ReadVarint();
        // uint32 fields written by conforming encoders fit; anything wider is malformed.
        return value <= uint.MaxValue ? (uint)value : throw Malformed("uint32 out of range");
    }

    public ulong ReadFixed64()
    {
        if (_buffer.Length - _position < 8)
        {
            throw Malformed("truncated fixed64");
        }

        var value = BinaryPrimitives.ReadUInt64LittleEndian(_buffer[_position..]);
        _position += 8;
        return value;
    }

    public double ReadDouble() => BitConverter.UInt64BitsToDouble(ReadFixed64());

    public uint ReadFixed32()
    {
        if (_buffer.Length - _position < 4)
        {
            throw Malformed("truncated fixed32");
        }

        var value = BinaryPrimitives.ReadUInt32LittleEndian(_buffer[_position..]);
        _position += 4;
        return value;
    }

    /// <summary>Reads a length prefix and returns the bytes it covers.</summary>
    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var length = ReadVarint();
        if (length > (ulong)(_buffer.Length - _position))
        {
            throw Malformed("length past end of message");
        }

        var result = _buffer.Slice(_position, (int)length);
        _position += (int)length;
        return result;
    }

    /// <summary>Skips a field's value of the given wire type (unknown fields are kept forward compatible).</summary>
    public void Skip(WireType wireType)
    {
        switch (wireType)
        {
            case WireType.Varint:
                ReadVarint();
                break;
            case WireType.Fixed64:
                ReadFixed64();
                break;
            case WireType.LengthDelimited:
                ReadLengthDelimited();
                break;
            case WireType.Fixed32:
                ReadFixed32();
                break;
            default:
                // Groups are deprecated and never used by remote-write.
                throw Malformed("unsupported wire type");
        }
    }

    /// <summary>Throws a 400 when a known field arrives with another wire type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Expect(WireType actual, WireType expected)
    {
        if (actual != expected)
        {
            throw Malformed("wrong wire type");
        }
    }

    public static RemoteWriteException Malformed(string what) => RemoteWriteException.Invalid("malformed protobuf: " + what);
}
