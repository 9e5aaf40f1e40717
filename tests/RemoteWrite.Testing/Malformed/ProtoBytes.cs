using System.Buffers.Binary;
using System.Text;

namespace RemoteWrite.Testing.Malformed;

/// <summary>
/// A minimal protobuf writer of the tests' own, independent of Core's encoder, so bodies can be made
/// valid or broken on purpose (a wrong wire type, an overlong varint) where generated types refuse to.
/// </summary>
public sealed class ProtoBytes
{
    public const int Varint = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5;

    private readonly List<byte> _bytes = [];

    public int Length => _bytes.Count;

    public byte[] ToArray() => [.. _bytes];

    public ProtoBytes Tag(int field, int wireType) => RawVarint((ulong)((field << 3) | wireType));

    public ProtoBytes RawVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        _bytes.Add((byte)value);
        return this;
    }

    public ProtoBytes Raw(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            _bytes.Add(b);
        }

        return this;
    }

    public ProtoBytes VarintField(int field, ulong value) => Tag(field, Varint).RawVarint(value);

    public ProtoBytes DoubleField(int field, double value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(b, value);
        return Tag(field, Fixed64).Raw(b);
    }

    public ProtoBytes BytesField(int field, ReadOnlySpan<byte> value) => Tag(field, LengthDelimited).RawVarint((ulong)value.Length).Raw(value);

    public ProtoBytes StringField(int field, string value) => BytesField(field, Encoding.UTF8.GetBytes(value));

    public ProtoBytes MessageField(int field, ProtoBytes message) => BytesField(field, message.ToArray());

    /// <summary>1.0 <c>Label{ name = 1; value = 2; }</c> from raw bytes (which may be invalid UTF-8).</summary>
    public static ProtoBytes Label(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => new ProtoBytes().BytesField(1, name).BytesField(2, value);

    public static ProtoBytes Label(string name, string value) => Label(Encoding.UTF8.GetBytes(name), Encoding.UTF8.GetBytes(value));

    /// <summary>1.0 and 2.0 <c>Sample{ double value = 1; int64 timestamp = 2; }</c>.</summary>
    public static ProtoBytes Sample(double value, long timestampMs) => new ProtoBytes().DoubleField(1, value).VarintField(2, (ulong)timestampMs);

    /// <summary>A packed <c>repeated uint32</c> payload (2.0 labels_refs).</summary>
    public static byte[] Packed(IEnumerable<uint> values)
    {
        var p = new ProtoBytes();
        foreach (var v in values)
        {
            p.RawVarint(v);
        }

        return p.ToArray();
    }
}
