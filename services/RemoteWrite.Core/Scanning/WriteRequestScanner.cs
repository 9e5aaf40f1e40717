using System.Buffers;
using System.Text;
using System.Text.Unicode;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Errors;

namespace RemoteWrite.Core.Scanning;

/// <summary>
/// Validates a decoded remote-write 1.0 WriteRequest and indexes it in one pass, without
/// turning labels into strings: counts series, samples, histograms, exemplars and metadata,
/// finds the oldest and newest timestamp, checks each series has a <c>__name__</c> label with
/// unique names, and records where each series starts and ends. The index arrays are pooled
/// and reused; dispose the scanner to return them. The request path takes scanners from
/// <see cref="ScannerPool"/>.
/// </summary>
public sealed class WriteRequestScanner : IDisposable
{
    /// <summary>Largest index a pooled scanner keeps between requests (~0.9 MB; vmagent sends 10,000 rows).</summary>
    public const int MaxRetainedSeries = 16 * 1024;

    // The fewest decoded bytes a series takes in practice (Kubernetes series take ~290): sizes the
    // index from the body once, instead of doubling it from 64 entries. A guess only: it still grows.
    private const int TypicalMinSeriesBytes = 128;

    private const int InitialSeries = 64;

    private static ReadOnlySpan<byte> NameLabel => "__name__"u8;

    private SeriesInfo[] _series = ArrayPool<SeriesInfo>.Shared.Rent(InitialSeries);
    private FieldRange[] _metadata = ArrayPool<FieldRange>.Shared.Rent(8);
    private int _seriesCount;
    private int _metadataCount;

    public ScanSummary Summary { get; private set; } = ScanSummary.Empty;

    public ReadOnlySpan<SeriesInfo> Series => _series.AsSpan(0, _seriesCount);

    public ReadOnlySpan<FieldRange> Metadata => _metadata.AsSpan(0, _metadataCount);

    /// <summary>Scans <paramref name="request"/>; throws a 400 <see cref="RemoteWriteException"/> when it is not valid.</summary>
    public ScanSummary Scan(ReadOnlySpan<byte> request)
    {
        _seriesCount = 0;
        _metadataCount = 0;
        var expected = Math.Min(request.Length / TypicalMinSeriesBytes, MaxRetainedSeries);
        if (_series.Length < expected)
        {
            ArrayPool<SeriesInfo>.Shared.Return(_series);
            _series = ArrayPool<SeriesInfo>.Shared.Rent(expected);
        }

        int samples = 0, histograms = 0, exemplars = 0;
        long min = long.MaxValue, max = long.MinValue;

        var reader = new ProtoReader(request);
        while (true)
        {
            var start = reader.Position;
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                break;
            }

            switch (field)
            {
                case 1:
                    ProtoReader.Expect(wireType, WireType.LengthDelimited);
                    var body = reader.ReadLengthDelimited();
                    var info = ScanSeries(body, start, reader.Position - body.Length);
                    Add(ref _series, ref _seriesCount, info);
                    samples += info.Samples;
                    histograms += info.Histograms;
                    exemplars += info.Exemplars;
                    min = Math.Min(min, info.MinTimestamp);
                    max = Math.Max(max, info.MaxTimestamp);
                    break;
                case 3:
                    ProtoReader.Expect(wireType, WireType.LengthDelimited);
                    ScanMetadata(reader.ReadLengthDelimited());
                    Add(ref _metadata, ref _metadataCount, new FieldRange(start, reader.Position - start));
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        Summary = new ScanSummary(_seriesCount, samples, histograms, exemplars, _metadataCount, min, max);
        return Summary;
    }

    private static SeriesInfo ScanSeries(ReadOnlySpan<byte> body, int start, int bodyOffset)
    {
        int labels = 0, samples = 0, histograms = 0, exemplars = 0, maxName = 0, maxValue = 0;
        long min = long.MaxValue, max = long.MinValue;
        var hasName = false;
        var sorted = true;
        ReadOnlySpan<byte> previous = default;
        int labelsStart = -1, labelsEnd = -1;
        var labelsContiguous = true;

        var reader = new ProtoReader(body);
        while (true)
        {
            var fieldStart = reader.Position;
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                break;
            }

            switch (field)
            {
                case 1:
                    ProtoReader.Expect(wireType, WireType.LengthDelimited);
                    ReadLabelBytes(reader.ReadLengthDelimited(), out var name, out var value);
                    labelsContiguous &= labelsEnd < 0 || labelsEnd == fieldStart;
                    labelsStart = labelsStart < 0 ? fieldStart : labelsStart;
                    labelsEnd = reader.Position;
                    labels++;
                    maxName = Math.Max(maxName, name.Length);
                    maxValue = Math.Max(maxValue, value.Length);
                    hasName |= name.SequenceEqual(NameLabel);
                    if (labels > 1)
                    {
                        // Names are not empty (checked above); most differ in their first byte.
                        var order = name[0] != previous[0] ? name[0] - previous[0] : name.SequenceCompareTo(previous);
                        if (order == 0)
                        {
                            throw RemoteWriteException.Invalid("duplicate label name in a series");
                        }

                        sorted &= order > 0;
                    }

                    previous = name;
                    break;
                case 2:
                    ProtoReader.Expect(wireType, WireType.LengthDelimited);
                    var ts = ReadSampleTimestamp(reader.ReadLengthDelimited());
                    samples++;
                    min = Math.Min(min, ts);
                    max = Math.Max(max, ts);
                    break;
                case 3:
                    ProtoReader.Expect(wireType, WireType.LengthDelimited);
                    ScanExemplar(reader.ReadLengthDelimited());
                    exemplars++;
                    break;
                case 4:
                    ProtoReader.Expect(wireType, WireType.LengthDelimited);
                    var hts = ReadHistogramTimestamp(reader.ReadLengthDelimited());
                    histograms++;
                    min = Math.Min(min, hts);
                    max = Math.Max(max, hts);
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        if (!hasName)
        {
            throw RemoteWriteException.Invalid("series without __name__ label");
        }

        // One ASCII check over all label fields (tags and short lengths are ASCII too) instead of
        // a UTF-8 check per string; only non-ASCII labels take the per-string check.
        if (!labelsContiguous || !Ascii.IsValid(body[labelsStart..labelsEnd]))
        {
            CheckLabelsUtf8(body);
        }

        if (!sorted)
        {
            CheckUniqueNames(body);
        }

        return new SeriesInfo(start, bodyOffset + body.Length - start, bodyOffset, labels, samples, histograms, exemplars, min, max, maxName, maxValue);
    }

    /// <summary>Reads a Label message and checks its strings are UTF-8.</summary>
    internal static void ReadLabel(ReadOnlySpan<byte> label, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        ReadLabelBytes(label, out name, out value);
        if (!Utf8.IsValid(name) || !Utf8.IsValid(value))
        {
            throw RemoteWriteException.Invalid("label is not valid UTF-8");
        }
    }

    /// <summary>Reads a Label message without the UTF-8 check (for bodies this scanner has validated).</summary>
    internal static void ReadLabelBytes(ReadOnlySpan<byte> label, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        // What every encoder writes: name (field 1) then value (field 2), each under 128 bytes. Read
        // without a reader; anything else (long strings, other order, extra fields) takes the general path.
        if (label.Length >= 4 && label[0] == 0x0A && label[1] is > 0 and < 0x80)
        {
            var nameEnd = 2 + label[1];
            if (nameEnd + 2 <= label.Length && label[nameEnd] == 0x12 && label[nameEnd + 1] < 0x80 && nameEnd + 2 + label[nameEnd + 1] == label.Length)
            {
                name = label[2..nameEnd];
                value = label[(nameEnd + 2)..];
                return;
            }
        }

        name = default;
        value = default;
        var reader = new ProtoReader(label);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 1:
                    ProtoReader.Expect(wireType, WireType.LengthDelimited);
                    name = reader.ReadLengthDelimited();
                    break;
                case 2:
                    ProtoReader.Expect(wireType, WireType.LengthDelimited);
                    value = reader.ReadLengthDelimited();
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        if (name.IsEmpty)
        {
            throw RemoteWriteException.Invalid("empty label name");
        }
    }

    private static void CheckLabelsUtf8(ReadOnlySpan<byte> body)
    {
        var reader = new ProtoReader(body);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field == 1)
            {
                ReadLabel(reader.ReadLengthDelimited(), out _, out _);
            }
            else
            {
                reader.Skip(wireType);
            }
        }
    }

    internal static long ReadSampleTimestamp(ReadOnlySpan<byte> sample)
    {
        // What every encoder writes: value (fixed64, field 1) then timestamp (varint, field 2).
        if (sample.Length > 10 && sample[0] == 0x09 && sample[9] == 0x10)
        {
            var tail = new ProtoReader(sample[10..]);
            var fast = tail.ReadInt64();
            if (tail.IsAtEnd)
            {
                return fast;
            }
        }

        long timestamp = 0;
        var reader = new ProtoReader(sample);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 1:
                    ProtoReader.Expect(wireType, WireType.Fixed64);
                    reader.ReadFixed64();
                    break;
                case 2:
                    ProtoReader.Expect(wireType, WireType.Varint);
                    timestamp = reader.ReadInt64();
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return timestamp;
    }

    internal static long ReadHistogramTimestamp(ReadOnlySpan<byte> histogram)
    {
        long timestamp = 0;
        var reader = new ProtoReader(histogram);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field == 15)
            {
                ProtoReader.Expect(wireType, WireType.Varint);
                timestamp = reader.ReadInt64();
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return timestamp;
    }

    private static void ScanExemplar(ReadOnlySpan<byte> exemplar)
    {
        var reader = new ProtoReader(exemplar);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 1:
                    ProtoReader.Expect(wireType, WireType.LengthDelimited);
                    ReadLabel(reader.ReadLengthDelimited(), out _, out _);
                    break;
                case 2:
                    ProtoReader.Expect(wireType, WireType.Fixed64);
                    reader.ReadFixed64();
                    break;
                case 3:
                    ProtoReader.Expect(wireType, WireType.Varint);
                    reader.ReadVarint();
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }
    }

    private static void ScanMetadata(ReadOnlySpan<byte> metadata)
    {
        var reader = new ProtoReader(metadata);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 1:
                    ProtoReader.Expect(wireType, WireType.Varint);
                    reader.ReadVarint();
                    break;
                case 2 or 4 or 5:
                    ProtoReader.Expect(wireType, WireType.LengthDelimited);
                    if (!Utf8.IsValid(reader.ReadLengthDelimited()))
                    {
                        throw RemoteWriteException.Invalid("metadata is not valid UTF-8");
                    }

                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }
    }

    // Only for the rare unsorted series: a quadratic check is fine for a handful of labels.
    private static void CheckUniqueNames(ReadOnlySpan<byte> body)
    {
        var outer = new ProtoReader(body);
        while (outer.TryReadTag(out var field, out var wireType))
        {
            if (field != 1)
            {
                outer.Skip(wireType);
                continue;
            }

            ReadLabel(outer.ReadLengthDelimited(), out var name, out _);
            var inner = outer;
            while (inner.TryReadTag(out var f2, out var w2))
            {
                if (f2 != 1)
                {
                    inner.Skip(w2);
                    continue;
                }

                ReadLabel(inner.ReadLengthDelimited(), out var other, out _);
                if (name.SequenceEqual(other))
                {
                    throw RemoteWriteException.Invalid("duplicate label name in a series");
                }
            }
        }
    }

    private static void Add<T>(ref T[] array, ref int count, T item)
    {
        if (count == array.Length)
        {
            var next = ArrayPool<T>.Shared.Rent(array.Length * 2);
            array.AsSpan(0, count).CopyTo(next);
            ArrayPool<T>.Shared.Return(array);
            array = next;
        }

        array[count++] = item;
    }

    /// <summary>Forgets the last scan; gives back an index grown past <see cref="MaxRetainedSeries"/>.</summary>
    internal void TrimForReuse()
    {
        _seriesCount = 0;
        _metadataCount = 0;
        Summary = ScanSummary.Empty;
        if (_series.Length > MaxRetainedSeries)
        {
            ArrayPool<SeriesInfo>.Shared.Return(_series);
            _series = ArrayPool<SeriesInfo>.Shared.Rent(InitialSeries);
        }

        if (_metadata.Length > MaxRetainedSeries)
        {
            ArrayPool<FieldRange>.Shared.Return(_metadata);
            _metadata = ArrayPool<FieldRange>.Shared.Rent(8);
        }
    }

    public void Dispose()
    {
        ArrayPool<SeriesInfo>.Shared.Return(_series);
        ArrayPool<FieldRange>.Shared.Return(_metadata);
        _series = [];
        _metadata = [];
        _seriesCount = 0;
        _metadataCount = 0;
    }
}
