using RemoteWrite.Core.Batching;
using RemoteWrite.Core.Buffers;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Filters;
using RemoteWrite.Core.Relabel;
using RemoteWrite.Core.Scanning;

namespace RemoteWrite.Core.Destinations;

/// <summary>
/// A prepared write's parts decoded back into one 1.0 WriteRequest (two WriteRequests concatenated
/// are one), indexed, so its series can be grouped by destination (label routes) or by endpoint
/// (series hash) and each group cut again with <see cref="RequestSplitter"/>. Built only when a
/// destination needs series-level routing; a request that goes whole to one endpoint is never decoded.
/// </summary>
public sealed class DecodedWrite : IDisposable
{
    private readonly PooledBufferWriter _body;
    private readonly WriteRequestScanner _scanner = new();
    private ulong[]? _hashes;

    public DecodedWrite(IReadOnlyList<EncodedPart> parts, int maxDecodedBytes)
    {
        var total = 0;
        foreach (var part in parts)
        {
            total += SnappyCodec.GetDecodedLength(part.Compressed.Span, maxDecodedBytes);
        }

        _body = new PooledBufferWriter(total + 64);
        foreach (var part in parts)
        {
            using var decoded = SnappyCodec.Decode(part.Compressed.Span, maxDecodedBytes);
            _body.Write(decoded.Span);
        }

        _scanner.Scan(_body.WrittenSpan);
    }

    public ReadOnlySpan<byte> Body => _body.WrittenSpan;

    public ReadOnlySpan<SeriesInfo> Series => _scanner.Series;

    public int SeriesCount => _scanner.Series.Length;

    /// <summary>The hash of a series' labels (as encoded): the key of rendezvous hashing.</summary>
    public ulong HashOf(int series)
    {
        if (_hashes is null)
        {
            var hashes = new ulong[SeriesCount];
            var body = Body;
            var all = Series;
            for (var i = 0; i < hashes.Length; i++)
            {
                hashes[i] = HashLabels(all[i].Body(body));
            }

            _hashes = hashes;
        }

        return _hashes[series];
    }

    /// <summary>The value of label <paramref name="name"/> of a series; empty when it has none.</summary>
    public ReadOnlySpan<byte> LabelValue(int series, ReadOnlySpan<byte> name)
    {
        var reader = new ProtoReader(Series[series].Body(Body));
        while (reader.TryReadField(out var field, out var whole))
        {
            if (field == 1)
            {
                WriteRequestScanner.ReadLabel(ProtoReader.PayloadOf(whole), out var labelName, out var value);
                if (labelName.SequenceEqual(name))
                {
                    return value;
                }
            }
        }

        return default;
    }

    /// <summary>Samples and histogram points of the given series.</summary>
    public int PointsOf(List<int> series)
    {
        var points = 0;
        var all = Series;
        foreach (var i in series)
        {
            points += all[i].Points;
        }

        return points;
    }

    /// <summary>
    /// The given series (and the metadata, when asked) as parts of at most <paramref name="maxPartBytes"/>,
    /// after <paramref name="relabel"/> (a destination's own rules; <paramref name="relabelled"/>: what they dropped).
    /// </summary>
    public List<EncodedPart> Encode(List<int> series, bool withMetadata, int maxPartBytes, RelabelRules? relabel, out DropCounts relabelled)
    {
        relabelled = default;
        var body = Body;
        var all = Series;
        var length = 0;
        foreach (var i in series)
        {
            length += all[i].Length;
        }

        using var writer = new PooledBufferWriter(length + 64);
        foreach (var i in series)
        {
            writer.Write(all[i].Field(body));
        }

        if (withMetadata)
        {
            foreach (var m in _scanner.Metadata)
            {
                writer.Write(m.Field(body));
            }
        }

        var parts = new List<EncodedPart>(1);
        using var scanner = new WriteRequestScanner();
        scanner.Scan(writer.WrittenSpan);
        if (relabel is { IsEmpty: false } && RelabelFilter.Apply(writer.WrittenSpan, scanner, relabel, int.MaxValue, out relabelled) is { } rewritten)
        {
            using (rewritten)
            {
                scanner.Scan(rewritten.Span);
                RequestSplitter.Split(rewritten.Span, scanner, maxPartBytes, 0, parts);
                return parts;
            }
        }

        RequestSplitter.Split(writer.WrittenSpan, scanner, maxPartBytes, 0, parts);
        return parts;
    }

    public bool HasMetadata => !_scanner.Metadata.IsEmpty;

    public void Dispose()
    {
        _scanner.Dispose();
        _body.Dispose();
    }

    private static ulong HashLabels(ReadOnlySpan<byte> seriesBody)
    {
        var hash = RendezvousHash.Hash([]);
        var reader = new ProtoReader(seriesBody);
        while (reader.TryReadField(out var field, out var whole))
        {
            if (field == 1)
            {
                hash = RendezvousHash.Hash(whole, hash);
            }
        }

        return hash;
    }
}
