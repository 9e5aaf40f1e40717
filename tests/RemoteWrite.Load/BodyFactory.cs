using Google.Protobuf;
using RemoteWrite.Core.Codec;
using V1 = RemoteWrite.Core.Protocol.V1;
using V2 = RemoteWrite.Core.Protocol.V2;

namespace RemoteWrite.Load;

/// <summary>
/// Remote-write bodies shaped like a Kubernetes scrape (8 labels a series), stamped with the
/// current time so a receiver keeps them. Series differ between bodies (by index) so a store sees them all.
/// </summary>
internal static class BodyFactory
{
    /// <summary>
    /// Bodies <paramref name="firstIndex"/> … <paramref name="firstIndex"/> + <paramref name="count"/> − 1, compressed:
    /// each holds series no other index holds, so a set of never-used indexes is a high-churn load.
    /// </summary>
    public static byte[][] CreateSet(int protocol, int firstIndex, int count, int seriesCount, int samplesPerSeries, long nowMs)
    {
        var bodies = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            bodies[i] = Create(protocol, firstIndex + i, seriesCount, samplesPerSeries, nowMs);
        }

        return bodies;
    }

    public static byte[] Create(int protocol, int index, int seriesCount, int samplesPerSeries, long nowMs) =>
        SnappyCodec.EncodeToArray(protocol == 2
            ? V2Request(index, seriesCount, samplesPerSeries, nowMs).ToByteArray()
            : V1Request(index, seriesCount, samplesPerSeries, nowMs).ToByteArray());

    public static V1.WriteRequest V1Request(int index, int seriesCount, int samplesPerSeries, long nowMs)
    {
        var request = new V1.WriteRequest();
        for (var i = 0; i < seriesCount; i++)
        {
            var series = new V1.TimeSeries();
            foreach (var (name, value) in Labels(index, i))
            {
                series.Labels.Add(new V1.Label { Name = name, Value = value });
            }

            for (var s = 0; s < samplesPerSeries; s++)
            {
                series.Samples.Add(new V1.Sample { Value = i + (s * 0.5), Timestamp = nowMs - ((samplesPerSeries - 1 - s) * 1000L) });
            }

            request.Timeseries.Add(series);
        }

        return request;
    }

    public static V2.Request V2Request(int index, int seriesCount, int samplesPerSeries, long nowMs)
    {
        var request = new V2.Request();
        var symbols = new Dictionary<string, uint>(StringComparer.Ordinal) { [""] = 0 };
        request.Symbols.Add(string.Empty);
        for (var i = 0; i < seriesCount; i++)
        {
            var series = new V2.TimeSeries();
            foreach (var (name, value) in Labels(index, i))
            {
                series.LabelsRefs.Add(Symbol(request, symbols, name));
                series.LabelsRefs.Add(Symbol(request, symbols, value));
            }

            for (var s = 0; s < samplesPerSeries; s++)
            {
                series.Samples.Add(new V2.Sample { Value = i + (s * 0.5), Timestamp = nowMs - ((samplesPerSeries - 1 - s) * 1000L) });
            }

            request.Timeseries.Add(series);
        }

        return request;
    }

    private static uint Symbol(V2.Request request, Dictionary<string, uint> symbols, string value)
    {
        if (!symbols.TryGetValue(value, out var index))
        {
            index = (uint)request.Symbols.Count;
            symbols[value] = index;
            request.Symbols.Add(value);
        }

        return index;
    }

    // Sorted by name, as the spec requires.
    private static IEnumerable<(string, string)> Labels(int body, int i)
    {
        yield return ("__name__", $"load_metric_{i % 50}_total");
        yield return ("container", $"app-{i % 7}");
        yield return ("endpoint", "https-metrics");
        yield return ("instance", $"10.244.{body % 250}.{i % 250}:10250");
        yield return ("job", "load");
        yield return ("namespace", $"team-{i % 11}");
        yield return ("node", $"node-{body % 5}");
        yield return ("pod", $"app-{body:x4}-{i:x5}");
    }
}
