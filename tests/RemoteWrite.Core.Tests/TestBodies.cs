using Google.Protobuf;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Protocol.V1;

namespace RemoteWrite.Core.Tests;

/// <summary>Builds remote-write bodies with the generated message types (the reference encoder).</summary>
internal static class TestBodies
{
    public static readonly string GoldenDirectory = Path.Combine(AppContext.BaseDirectory, "Golden");

    public static IEnumerable<string> GoldenFiles() =>
        Directory.EnumerateFiles(GoldenDirectory, "*.snappy").Order();

    public static TimeSeries Series(string name, int samples, long startMs, params (string Name, string Value)[] labels)
    {
        var series = new TimeSeries();
        series.Labels.Add(new Label { Name = "__name__", Value = name });
        foreach (var (n, v) in labels.OrderBy(l => l.Name, StringComparer.Ordinal))
        {
            series.Labels.Add(new Label { Name = n, Value = v });
        }

        for (var i = 0; i < samples; i++)
        {
            series.Samples.Add(new Sample { Value = i * 1.5, Timestamp = startMs + (i * 1000) });
        }

        return series;
    }

    public static WriteRequest Request(params TimeSeries[] series)
    {
        var request = new WriteRequest();
        request.Timeseries.Add(series);
        return request;
    }

    public static byte[] Compressed(IMessage message) => SnappyCodec.EncodeToArray(message.ToByteArray());

    /// <summary>A Kubernetes-scrape-shaped request: <paramref name="seriesCount"/> series, 8 labels each, one sample each.</summary>
    public static WriteRequest KubernetesScrape(int seriesCount, long timestampMs, int samplesPerSeries = 1)
    {
        var request = new WriteRequest();
        for (var i = 0; i < seriesCount; i++)
        {
            var series = new TimeSeries();
            series.Labels.Add(new Label { Name = "__name__", Value = $"container_metric_{i % 50}_total" });
            series.Labels.Add(new Label { Name = "container", Value = $"app-{i % 7}" });
            series.Labels.Add(new Label { Name = "endpoint", Value = "https-metrics" });
            series.Labels.Add(new Label { Name = "instance", Value = $"10.244.{i % 13}.{i % 200}:10250" });
            series.Labels.Add(new Label { Name = "job", Value = "kubelet" });
            series.Labels.Add(new Label { Name = "namespace", Value = $"team-{i % 11}" });
            series.Labels.Add(new Label { Name = "node", Value = $"aks-nodepool1-{i % 5}-vmss00000{i % 3}" });
            series.Labels.Add(new Label { Name = "pod", Value = $"app-{i % 7}-{(i * 7919) % 100000:x5}-{i % 17:x2}" });
            for (var s = 0; s < samplesPerSeries; s++)
            {
                series.Samples.Add(new Sample { Value = (i * 31.7) + s, Timestamp = timestampMs + (s * 15000) });
            }

            request.Timeseries.Add(series);
        }

        return request;
    }
}
