using Google.Protobuf;
using RemoteWrite.Core.Codec;
using V1 = RemoteWrite.Core.Protocol.V1;
using V2 = RemoteWrite.Core.Protocol.V2;

namespace RemoteWrite.Fuzz;

/// <summary>Small valid bodies to start AFL from (it mutates them); small, since AFL favours short inputs.</summary>
public static class Seeds
{
    public static void Write(string directory)
    {
        var v1 = new[] { V1Request(1, 1, false), V1Request(3, 2, true), V1Request(8, 4, false) }.Select(r => r.ToByteArray()).ToArray();
        var v2 = new[] { V2Request(1, 1, false), V2Request(3, 2, true), V2Request(8, 4, false) }.Select(r => r.ToByteArray()).ToArray();
        Save(directory, "snappy", v1.Concat(v2).Select(b => SnappyCodec.EncodeToArray(b)));
        Save(directory, "scan", v1);
        Save(directory, "split", v1);
        Save(directory, "convert", v2);
        Save(directory, "prepare", v1.Select(b => Prefixed(0, b)).Concat(v2.Select(b => Prefixed(1, b))));
    }

    private static byte[] Prefixed(byte version, byte[] decoded) => [version, .. SnappyCodec.EncodeToArray(decoded)];

    private static void Save(string directory, string target, IEnumerable<byte[]> seeds)
    {
        var dir = Directory.CreateDirectory(Path.Combine(directory, target)).FullName;
        var i = 0;
        foreach (var seed in seeds)
        {
            File.WriteAllBytes(Path.Combine(dir, $"seed-{i++:D2}"), seed);
        }
    }

    private static V1.WriteRequest V1Request(int series, int samples, bool extras)
    {
        var now = Targets.Now.ToUnixTimeMilliseconds();
        var request = new V1.WriteRequest();
        for (var s = 0; s < series; s++)
        {
            var ts = new V1.TimeSeries();
            ts.Labels.Add(new V1.Label { Name = "__name__", Value = "up" });
            ts.Labels.Add(new V1.Label { Name = "job", Value = $"j{s}" });
            for (var i = 0; i < samples; i++)
            {
                ts.Samples.Add(new V1.Sample { Timestamp = now - i * 15_000, Value = s + i });
            }

            if (extras)
            {
                ts.Exemplars.Add(new V1.Exemplar { Timestamp = now, Value = 1, Labels = { new V1.Label { Name = "trace_id", Value = "ab" } } });
                ts.Histograms.Add(new V1.Histogram { Timestamp = now, CountInt = 3, Sum = 2, Schema = 1, PositiveSpans = { new V1.BucketSpan { Offset = 0, Length = 2 } }, PositiveDeltas = { 1, 1 } });
            }

            request.Timeseries.Add(ts);
        }

        if (extras)
        {
            request.Metadata.Add(new V1.MetricMetadata { Type = V1.MetricMetadata.Types.MetricType.Gauge, MetricFamilyName = "up", Help = "h" });
        }

        return request;
    }

    private static V2.Request V2Request(int series, int samples, bool extras)
    {
        var now = Targets.Now.ToUnixTimeMilliseconds();
        var request = new V2.Request { Symbols = { "", "__name__", "up", "job", "help", "trace_id", "ab" } };
        for (var s = 0; s < series; s++)
        {
            request.Symbols.Add($"j{s}");
            var ts = new V2.TimeSeries { LabelsRefs = { 1, 2, 3, (uint)(request.Symbols.Count - 1) } };
            for (var i = 0; i < samples; i++)
            {
                ts.Samples.Add(new V2.Sample { Timestamp = now - i * 15_000, Value = s + i });
            }

            if (extras)
            {
                ts.Metadata = new V2.Metadata { Type = V2.Metadata.Types.MetricType.Gauge, HelpRef = 4 };
                ts.Exemplars.Add(new V2.Exemplar { Timestamp = now, Value = 1, LabelsRefs = { 5, 6 } });
                ts.CreatedTimestamp = now - 60_000;
            }

            request.Timeseries.Add(ts);
        }

        return request;
    }
}
