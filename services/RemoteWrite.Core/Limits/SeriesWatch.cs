using System.Buffers;
using System.Diagnostics.Metrics;
using System.IO.Hashing;
using System.Text;
using Microsoft.Extensions.Logging;
using RemoteWrite.Core.Azure.Status;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Scanning;

namespace RemoteWrite.Core.Limits;

/// <summary>
/// One pass over the series of a prepared request, for what Azure's store does with them: each
/// series' label bytes hashed (XxHash64) into its destination's active-series estimate and, when
/// <c>RemoteWrite__CaseCollisions</c> is on, series of the request that differ only by the letter
/// case of label names or values counted: Azure's store is case-insensitive on them and merges such
/// series (CONTRACT.md §2). The counter is <c>remotewrite_case_collisions_total</c>; one warning at most
/// per <see cref="LogInterval"/> shows an example pair. ASCII letters are folded (label names are
/// ASCII by Prometheus' rules). No allocation per series: the folded copy is a pooled buffer and the
/// hash set is per thread, cleared per request; the folded hash is the plain one when a series has no
/// upper-case ASCII byte.
/// </summary>
public sealed partial class SeriesWatch
{
    public static readonly TimeSpan LogInterval = TimeSpan.FromMinutes(1);

    [ThreadStatic]
    private static Dictionary<ulong, (ulong Exact, int Index)>? t_seen;

    private readonly IngestionStatus _status;
    private readonly bool _caseCollisions;
    private readonly TimeProvider _time;
    private readonly ILogger<SeriesWatch> _logger;
    private readonly Counter<long> _collisions;
    private long _lastLogTicks = long.MinValue;

    public SeriesWatch(IngestionStatus status, bool caseCollisions, IMeterFactory meterFactory, TimeProvider time, ILogger<SeriesWatch> logger)
    {
        _status = status;
        _caseCollisions = caseCollisions;
        _time = time;
        _logger = logger;
        var meter = meterFactory.Create(StatusMetrics.MeterName);
        _collisions = meter.CreateCounter<long>("remotewrite.case_collisions", "{series}", "Series that differ from another series of the same request only by letter case (Azure merges them); counted when RemoteWrite__CaseCollisions=true.");
        _collisions.Add(0);
    }

    public bool ChecksCase => _caseCollisions;

    /// <summary>Observes the series of <paramref name="request"/> as they go to <paramref name="destination"/>.</summary>
    public void Observe(ReadOnlySpan<byte> request, WriteRequestScanner scan, string destination = IngestionStatus.DefaultDestination)
    {
        var volume = _status.Destination(destination);
        var series = scan.Series;
        var checkCase = _caseCollisions && series.Length > 1;
        var seen = checkCase ? (t_seen ??= new Dictionary<ulong, (ulong, int)>()) : null;
        seen?.Clear();
        int collisions = 0, exampleA = -1, exampleB = -1;
        byte[]? folding = null;
        try
        {
            for (var i = 0; i < series.Length; i++)
            {
                var labels = LabelBytes(series[i].Body(request));
                var exact = XxHash64.HashToUInt64(labels);
                volume.AddSeries(exact);
                if (seen is null)
                {
                    continue;
                }

                var folded = exact;
                if (labels.IndexOfAnyInRange((byte)'A', (byte)'Z') >= 0)
                {
                    if (folding is null || folding.Length < labels.Length)
                    {
                        if (folding is not null)
                        {
                            ArrayPool<byte>.Shared.Return(folding);
                        }

                        folding = ArrayPool<byte>.Shared.Rent(Math.Max(labels.Length, 1024));
                    }

                    folded = XxHash64.HashToUInt64(FoldAscii(labels, folding));
                }

                if (seen.TryGetValue(folded, out var prior))
                {
                    if (prior.Exact != exact)
                    {
                        collisions++;
                        exampleA = prior.Index;
                        exampleB = i;
                    }
                }
                else
                {
                    seen[folded] = (exact, i);
                }
            }
        }
        finally
        {
            if (folding is not null)
            {
                ArrayPool<byte>.Shared.Return(folding);
            }
        }

        if (collisions > 0)
        {
            _collisions.Add(collisions);
            _status.RecordCaseCollisions(collisions);
            MaybeLog(request, series, collisions, exampleA, exampleB);
        }
    }

    /// <summary>The label fields at the start of a series body (Prometheus writes labels first).</summary>
    public static ReadOnlySpan<byte> LabelBytes(ReadOnlySpan<byte> body)
    {
        var reader = new ProtoReader(body);
        var end = 0;
        while (reader.TryReadTag(out var field, out var wireType) && field == 1)
        {
            reader.Skip(wireType);
            end = reader.Position;
        }

        return body[..end];
    }

    private static ReadOnlySpan<byte> FoldAscii(ReadOnlySpan<byte> source, byte[] buffer)
    {
        var target = buffer.AsSpan(0, source.Length);
        for (var i = 0; i < source.Length; i++)
        {
            var b = source[i];
            target[i] = (uint)(b - 'A') <= 'Z' - 'A' ? (byte)(b | 0x20) : b;
        }

        return target;
    }

    private void MaybeLog(ReadOnlySpan<byte> request, ReadOnlySpan<SeriesInfo> series, int collisions, int a, int b)
    {
        var now = _time.GetUtcNow().UtcTicks;
        var last = Interlocked.Read(ref _lastLogTicks);
        if (now - last < LogInterval.Ticks || Interlocked.CompareExchange(ref _lastLogTicks, now, last) != last)
        {
            return;
        }

        LogCollision(_logger, collisions, LabelSet(series[a].Body(request)), LabelSet(series[b].Body(request)));
    }

    /// <summary>A series' labels as Prometheus prints them: <c>{__name__="up", job="x"}</c>.</summary>
    public static string LabelSet(ReadOnlySpan<byte> body)
    {
        var text = new StringBuilder("{");
        var reader = new ProtoReader(LabelBytes(body));
        while (reader.TryReadTag(out _, out _))
        {
            WriteRequestScanner.ReadLabel(reader.ReadLengthDelimited(), out var name, out var value);
            if (text.Length > 1)
            {
                text.Append(", ");
            }

            text.Append(Encoding.UTF8.GetString(name)).Append("=\"").Append(Encoding.UTF8.GetString(value)).Append('"');
        }

        return text.Append('}').ToString();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} series in one request differ from another only by letter case; Azure's store merges them into one. Example: {First} and {Second}. Counted in remotewrite_case_collisions_total; this warning is logged at most once a minute.")]
    private static partial void LogCollision(ILogger logger, int count, string first, string second);
}
