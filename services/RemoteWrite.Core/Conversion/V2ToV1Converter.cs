using System.Buffers;
using System.Text.Unicode;
using RemoteWrite.Core.Buffers;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Errors;

namespace RemoteWrite.Core.Conversion;

/// <summary>
/// Rewrites a decoded remote-write 2.0 <c>io.prometheus.write.v2.Request</c> as a 1.0
/// <c>prometheus.WriteRequest</c>, byte to byte: label refs become labels, samples and native
/// histograms are copied as they are (their 2.0 and 1.0 messages share field numbers), exemplar
/// refs become labels, and per-series metadata becomes <c>MetricMetadata</c> (deduplicated).
/// A ref out of range, an odd number of refs, or <c>symbols[0] != ""</c> is a 400.
/// </summary>
public static class V2ToV1Converter
{
    private static ReadOnlySpan<byte> NameLabel => "__name__"u8;

    /// <summary>Converts <paramref name="request"/> into a pooled buffer of at most <paramref name="maxBytes"/> (else 413).</summary>
    public static PooledBuffer Convert(ReadOnlySpan<byte> request, int maxBytes)
    {
        var symbols = new SymbolTable(request);
        try
        {
            // 1.0 spells out what 2.0 refers to: ~4 times the bytes for Kubernetes series; one rent, no growth.
            using var writer = new PooledBufferWriter((int)Math.Min(request.Length * 4L + 64, maxBytes), maxBytes);
            HashSet<(uint Type, int Name, uint Help, uint Unit)>? metadata = null;

            var reader = new ProtoReader(request);
            while (reader.TryReadTag(out var field, out var wireType))
            {
                if (field == 5)
                {
                    ProtoReader.Expect(wireType, WireType.LengthDelimited);
                    ConvertSeries(reader.ReadLengthDelimited(), request, ref symbols, writer, ref metadata);
                }
                else
                {
                    reader.Skip(wireType);
                }
            }

            if (metadata is not null)
            {
                foreach (var entry in metadata)
                {
                    WriteMetadata(writer, request, ref symbols, entry);
                }
            }

            return writer.Detach();
        }
        finally
        {
            symbols.Dispose();
        }
    }

    private static void ConvertSeries(ReadOnlySpan<byte> series, ReadOnlySpan<byte> request, ref SymbolTable symbols, PooledBufferWriter writer, ref HashSet<(uint, int, uint, uint)>? metadata)
    {
        // First pass: size of the 1.0 TimeSeries, the refs checked, and the metadata found.
        var size = 0;
        var nameRef = -1;
        var reader = new ProtoReader(series);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 1:
                    size += LabelsSize(ref reader, wireType, request, ref symbols, 1, ref nameRef);
                    break;
                case 2:
                    ProtoReader.Expect(wireType, WireType.LengthDelimited);
                    size += ProtoWriter.LengthDelimitedSize(2, reader.ReadLengthDelimited().Length);
                    break;
                case 3:
                    ProtoReader.Expect(wireType, WireType.LengthDelimited);
                    size += ProtoWriter.LengthDelimitedSize(4, reader.ReadLengthDelimited().Length);
                    break;
                case 4:
                    ProtoReader.Expect(wireType, WireType.LengthDelimited);
                    size += ProtoWriter.LengthDelimitedSize(3, ExemplarSize(reader.ReadLengthDelimited(), request, ref symbols));
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        if (nameRef < 0)
        {
            throw RemoteWriteException.Invalid("series without __name__ label");
        }

        // Second pass: write it straight into the output, reserved once (its size is known).
        var total = ProtoWriter.LengthDelimitedSize(1, size);
        var destination = writer.GetSpan(total);
        var at = 0;
        ProtoWriter.WriteLengthPrefix(destination, ref at, 1, size);
        reader = new ProtoReader(series);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 1:
                    WriteLabels(ref reader, request, ref symbols, destination, ref at);
                    break;
                case 2:
                    ProtoWriter.WriteBytesField(destination, ref at, 2, reader.ReadLengthDelimited());
                    break;
                case 3:
                    ProtoWriter.WriteBytesField(destination, ref at, 4, reader.ReadLengthDelimited());
                    break;
                case 4:
                    WriteExemplar(reader.ReadLengthDelimited(), request, ref symbols, destination, ref at);
                    break;
                case 5:
                    ProtoReader.Expect(wireType, WireType.LengthDelimited);
                    var entry = ReadMetadata(reader.ReadLengthDelimited(), nameRef, ref symbols);
                    if (entry.Type != 0 || entry.Help != 0 || entry.Unit != 0)
                    {
                        (metadata ??= []).Add(entry);
                    }

                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        if (at != total)
        {
            throw new InvalidOperationException($"2.0 to 1.0: wrote {at} bytes of a series sized {total}");
        }

        writer.Advance(total);
    }

    // labels_refs is packed (the proto3 default) but parsers must accept the unpacked form too.
    private static int LabelsSize(ref ProtoReader reader, WireType wireType, ReadOnlySpan<byte> request, ref SymbolTable symbols, int field, ref int nameRef)
    {
        if (wireType != WireType.LengthDelimited)
        {
            // Unpacked refs arrive one per field; a lone ref cannot be paired here.
            throw RemoteWriteException.Invalid("unpacked labels_refs are not supported");
        }

        var size = 0;
        var refs = new ProtoReader(reader.ReadLengthDelimited());
        while (!refs.IsAtEnd)
        {
            var name = refs.ReadUInt32();
            if (refs.IsAtEnd)
            {
                throw RemoteWriteException.Invalid("odd number of labels_refs");
            }

            var value = refs.ReadUInt32();
            var nameBytes = symbols.Get(request, name);
            var valueBytes = symbols.Get(request, value);
            if (nameBytes.IsEmpty)
            {
                throw RemoteWriteException.Invalid("empty label name");
            }

            if (field == 1 && nameBytes.SequenceEqual(NameLabel))
            {
                nameRef = (int)value;
            }

            size += ProtoWriter.LengthDelimitedSize(field, LabelSize(nameBytes.Length, valueBytes.Length));
        }

        return size;
    }

    private static void WriteLabels(ref ProtoReader reader, ReadOnlySpan<byte> request, ref SymbolTable symbols, Span<byte> destination, ref int at)
    {
        var refs = new ProtoReader(reader.ReadLengthDelimited());
        while (!refs.IsAtEnd)
        {
            var name = symbols.Get(request, refs.ReadUInt32());
            var value = symbols.Get(request, refs.ReadUInt32());
            ProtoWriter.WriteLengthPrefix(destination, ref at, 1, LabelSize(name.Length, value.Length));
            ProtoWriter.WriteBytesField(destination, ref at, 1, name);
            ProtoWriter.WriteBytesField(destination, ref at, 2, value);
        }
    }

    private static int LabelSize(int name, int value) =>
        ProtoWriter.LengthDelimitedSize(1, name) + ProtoWriter.LengthDelimitedSize(2, value);

    private static int ExemplarSize(ReadOnlySpan<byte> exemplar, ReadOnlySpan<byte> request, ref SymbolTable symbols)
    {
        var size = 0;
        var ignored = -1;
        var reader = new ProtoReader(exemplar);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 1:
                    size += LabelsSize(ref reader, wireType, request, ref symbols, 1, ref ignored);
                    break;
                case 2:
                    ProtoReader.Expect(wireType, WireType.Fixed64);
                    reader.ReadFixed64();
                    size += 9;
                    break;
                case 3:
                    ProtoReader.Expect(wireType, WireType.Varint);
                    size += 1 + ProtoWriter.VarintSize(reader.ReadVarint());
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return size;
    }

    private static void WriteExemplar(ReadOnlySpan<byte> exemplar, ReadOnlySpan<byte> request, ref SymbolTable symbols, Span<byte> destination, ref int at)
    {
        ProtoWriter.WriteLengthPrefix(destination, ref at, 3, ExemplarSize(exemplar, request, ref symbols));
        var reader = new ProtoReader(exemplar);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 1:
                    WriteLabels(ref reader, request, ref symbols, destination, ref at);
                    break;
                case 2:
                    ProtoWriter.WriteFixed64Field(destination, ref at, 2, reader.ReadFixed64());
                    break;
                case 3:
                    ProtoWriter.WriteVarintField(destination, ref at, 3, reader.ReadVarint());
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }
    }

    private static (uint Type, int Name, uint Help, uint Unit) ReadMetadata(ReadOnlySpan<byte> metadata, int nameRef, ref SymbolTable symbols)
    {
        uint type = 0, help = 0, unit = 0;
        var reader = new ProtoReader(metadata);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 1:
                    ProtoReader.Expect(wireType, WireType.Varint);
                    type = reader.ReadUInt32();
                    break;
                case 3:
                    ProtoReader.Expect(wireType, WireType.Varint);
                    help = symbols.Check(reader.ReadUInt32());
                    break;
                case 4:
                    ProtoReader.Expect(wireType, WireType.Varint);
                    unit = symbols.Check(reader.ReadUInt32());
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return (type, nameRef, help, unit);
    }

    private static void WriteMetadata(PooledBufferWriter writer, ReadOnlySpan<byte> request, ref SymbolTable symbols, (uint Type, int Name, uint Help, uint Unit) entry)
    {
        var name = symbols.Get(request, (uint)entry.Name);
        var help = symbols.Get(request, entry.Help);
        var unit = symbols.Get(request, entry.Unit);

        // v2 and v1 MetricType enums share their numbers (UNKNOWN/UNSPECIFIED = 0 .. STATESET = 7).
        var size = (entry.Type != 0 ? 1 + ProtoWriter.VarintSize(entry.Type) : 0)
            + ProtoWriter.LengthDelimitedSize(2, name.Length)
            + (help.IsEmpty ? 0 : ProtoWriter.LengthDelimitedSize(4, help.Length))
            + (unit.IsEmpty ? 0 : ProtoWriter.LengthDelimitedSize(5, unit.Length));
        ProtoWriter.WriteLengthPrefix(writer, 3, size);
        if (entry.Type != 0)
        {
            ProtoWriter.WriteVarintField(writer, 1, entry.Type);
        }

        ProtoWriter.WriteBytesField(writer, 2, name);
        if (!help.IsEmpty)
        {
            ProtoWriter.WriteBytesField(writer, 4, help);
        }

        if (!unit.IsEmpty)
        {
            ProtoWriter.WriteBytesField(writer, 5, unit);
        }
    }

    /// <summary>Offsets of the <c>symbols</c> strings in the request, in pooled arrays.</summary>
    private struct SymbolTable : IDisposable
    {
        private int[] _starts;
        private int[] _lengths;
        private int _count;

        public SymbolTable(ReadOnlySpan<byte> request)
        {
            _starts = ArrayPool<int>.Shared.Rent(256);
            _lengths = ArrayPool<int>.Shared.Rent(256);
            _count = 0;
            var reader = new ProtoReader(request);
            while (reader.TryReadTag(out var field, out var wireType))
            {
                if (field != 4)
                {
                    reader.Skip(wireType);
                    continue;
                }

                ProtoReader.Expect(wireType, WireType.LengthDelimited);
                var symbol = reader.ReadLengthDelimited();
                if (!Utf8.IsValid(symbol))
                {
                    throw RemoteWriteException.Invalid("symbol is not valid UTF-8");
                }

                Add(reader.Position - symbol.Length, symbol.Length);
            }

            if (_count > 0 && _lengths[0] != 0)
            {
                throw RemoteWriteException.Invalid("symbols[0] must be the empty string");
            }
        }

        public readonly uint Check(uint index) =>
            index < (uint)_count || (index == 0) ? index : throw RemoteWriteException.Invalid("symbol ref out of range");

        public readonly ReadOnlySpan<byte> Get(ReadOnlySpan<byte> request, uint index)
        {
            if (index >= (uint)_count)
            {
                if (index == 0)
                {
                    return default;
                }

                throw RemoteWriteException.Invalid("symbol ref out of range");
            }

            return request.Slice(_starts[index], _lengths[index]);
        }

        private void Add(int start, int length)
        {
            if (_count == _starts.Length)
            {
                Grow(ref _starts, _count);
                Grow(ref _lengths, _count);
            }

            _starts[_count] = start;
            _lengths[_count] = length;
            _count++;
        }

        private static void Grow(ref int[] array, int count)
        {
            var next = ArrayPool<int>.Shared.Rent(array.Length * 2);
            array.AsSpan(0, count).CopyTo(next);
            ArrayPool<int>.Shared.Return(array);
            array = next;
        }

        public void Dispose()
        {
            ArrayPool<int>.Shared.Return(_starts);
            ArrayPool<int>.Shared.Return(_lengths);
            _starts = [];
            _lengths = [];
        }
    }
}
