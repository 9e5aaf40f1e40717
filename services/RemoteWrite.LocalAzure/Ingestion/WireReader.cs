using System.Buffers.Binary;
using RemoteWrite.Core.Errors;

namespace RemoteWrite.LocalAzure.Ingestion;

/// <summary>
/// A forward-only protobuf wire reader over a span: the counting path walks bytes instead of
/// building the message graph (VictoriaMetrics lib/prompb does the same). Malformed input throws
/// a 400 <see cref="RemoteWriteException"/>. Replace with Core's ProtoReader once it lands on main.
/// </summary>
internal ref struct WireReader(ReadOnlySpan<byte> buffer)
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int Fixed32 = 5;

    private readonly ReadOnlySpan<byte> _buffer = buffer;
    private int _position;

    public readonly bool End => _position >= _buffer.Length;

    public bool TryReadTag(out int field, out int wireType)
    {
        if (End)
        {
            field = 0;
            wireType = 0;
            return false;
        }

        var tag = ReadVarint();
        field = (int)(tag >> 3);
        wireType = (int)(tag & 7);
        if (field <= 0 || tag >> 3 > int.MaxValue)
        {
            throw Corrupt();
        }

        return true;
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _buffer.Length)
            {
                throw Corrupt();
            }

            var b = _buffer[_position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw Corrupt();
    }

    public ulong ReadFixed64()
    {
        if (_buffer.Length - _position < 8)
        {
            throw Corrupt();
        }

        var value = BinaryPrimitives.ReadUInt64LittleEndian(_buffer[_position..]);
        _position += 8;
        return value;
    }

    public double ReadDouble() => BitConverter.UInt64BitsToDouble(ReadFixed64());

    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var length = ReadVarint();
        if (length > (ulong)(_buffer.Length - _position))
        {
            throw Corrupt();
        }

        var span = _buffer.Slice(_position, (int)length);
        _position += (int)length;
        return span;
    }

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case Varint:
                ReadVarint();
                break;
            case Fixed64:
                ReadFixed64();
                break;
            case LengthDelimited:
                ReadLengthDelimited();
                break;
            case Fixed32:
                if (_buffer.Length - _position < 4)
                {
                    throw Corrupt();
                }

                _position += 4;
                break;
            default:
                // Groups (3, 4) are not used by remote-write; anything else is corrupt.
                throw Corrupt();
        }
    }

    public static RemoteWriteException Corrupt() => RemoteWriteException.Invalid("protobuf: malformed WriteRequest");
}
