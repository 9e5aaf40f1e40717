using System.Buffers.Binary;
using RemoteWrite.Core.Buffers;

namespace RemoteWrite.Core.Codec;

/// <summary>Protobuf wire writing helpers over a <see cref="PooledBufferWriter"/>.</summary>
public static class ProtoWriter
{
    public static int VarintSize(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    public static void WriteVarint(PooledBufferWriter writer, ulong value) =>
        writer.Advance(WriteVarint(writer.GetSpan(10), value));

    /// <summary>Writes a base-128 varint (also snappy's length header) at the start of <paramref name="destination"/>; returns its length.</summary>
    public static int WriteVarint(Span<byte> destination, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    public static void WriteTag(PooledBufferWriter writer, int field, WireType wireType) =>
        WriteVarint(writer, ((uint)field << 3) | (uint)wireType);

    /// <summary>Writes a length-delimited field holding <paramref name="bytes"/>.</summary>
    public static void WriteBytesField(PooledBufferWriter writer, int field, ReadOnlySpan<byte> bytes)
    {
        WriteTag(writer, field, WireType.LengthDelimited);
        WriteVarint(writer, (ulong)bytes.Length);
        writer.Write(bytes);
    }

    /// <summary>Writes the tag and length prefix of a length-delimited field whose body follows.</summary>
    public static void WriteLengthPrefix(PooledBufferWriter writer, int field, int length)
    {
        WriteTag(writer, field, WireType.LengthDelimited);
        WriteVarint(writer, (ulong)length);
    }

    public static void WriteDoubleField(PooledBufferWriter writer, int field, double value)
    {
        WriteTag(writer, field, WireType.Fixed64);
        BinaryPrimitives.WriteUInt64LittleEndian(writer.GetSpan(8), BitConverter.DoubleToUInt64Bits(value));
        writer.Advance(8);
    }

    public static void WriteFixed64Field(PooledBufferWriter writer, int field, ulong bits)
    {
        WriteTag(writer, field, WireType.Fixed64);
        BinaryPrimitives.WriteUInt64LittleEndian(writer.GetSpan(8), bits);
        writer.Advance(8);
    }

    public static void WriteVarintField(PooledBufferWriter writer, int field, ulong value)
    {
        WriteTag(writer, field, WireType.Varint);
        WriteVarint(writer, value);
    }

    // Span writers: for a caller that knows the size first and reserves it once (one bounds check
    // per message instead of one per varint). Each writes at destination[at..] and moves at on.

    /// <summary>Writes the tag and length prefix of a length-delimited field whose body follows.</summary>
    public static void WriteLengthPrefix(Span<byte> destination, ref int at, int field, int length)
    {
        at += WriteVarint(destination[at..], ((uint)field << 3) | (uint)WireType.LengthDelimited);
        at += WriteVarint(destination[at..], (ulong)length);
    }

    /// <summary>Writes a length-delimited field holding <paramref name="bytes"/>.</summary>
    public static void WriteBytesField(Span<byte> destination, ref int at, int field, ReadOnlySpan<byte> bytes)
    {
        WriteLengthPrefix(destination, ref at, field, bytes.Length);
        bytes.CopyTo(destination[at..]);
        at += bytes.Length;
    }

    public static void WriteFixed64Field(Span<byte> destination, ref int at, int field, ulong bits)
    {
        at += WriteVarint(destination[at..], ((uint)field << 3) | (uint)WireType.Fixed64);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[at..], bits);
        at += 8;
    }

    public static void WriteVarintField(Span<byte> destination, ref int at, int field, ulong value)
    {
        at += WriteVarint(destination[at..], ((uint)field << 3) | (uint)WireType.Varint);
        at += WriteVarint(destination[at..], value);
    }

    /// <summary>Size on the wire of a length-delimited field with a body of <paramref name="length"/> bytes.</summary>
    public static int LengthDelimitedSize(int field, int length) =>
        VarintSize(((uint)field << 3) | 2) + VarintSize((ulong)length) + length;
}
