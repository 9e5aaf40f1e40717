using Google.Protobuf;
using RemoteWrite.Core.Protocol.V1;
using V2 = RemoteWrite.Core.Protocol.V2;

namespace RemoteWrite.Benchmarks;

/// <summary>
/// A request shaped like one Prometheus send from a Kubernetes scrape: 2,000 series (Prometheus'
/// default max_samples_per_send), about 8 labels each, one sample each: ~500 KB decoded, ~100 KB compressed.
/// </summary>
internal static class KubernetesScrape
{
    public const int SeriesCount = 2000;

    public static WriteRequest V1(int seriesCount = SeriesCount, int seed = 0)
    {
        var random = new Random(seed);
        var request = new WriteRequest();
        for (var i = 0; i < seriesCount; i++)
        {
            var series = new TimeSeries();
            foreach (var (name, value) in Labels(i, seed))
            {
                series.Labels.Add(new Label { Name = name, Value = value });
            }

            series.Samples.Add(new Sample { Value = random.NextDouble() * 1e6, Timestamp = 1_732_000_000_000 + random.Next(15_000) });
            request.Timeseries.Add(series);
        }

        return request;
    }

    public static V2.Request V2(int seriesCount = SeriesCount)
    {
        var v1 = V1(seriesCount);
        var request = new V2.Request();
        var symbols = new Dictionary<string, uint> { [""] = 0 };
        request.Symbols.Add("");
        uint Ref(string s)
        {
            if (!symbols.TryGetValue(s, out var r))
            {
                r = (uint)request.Symbols.Count;
                symbols[s] = r;
                request.Symbols.Add(s);
            }

            return r;
        }

        foreach (var series in v1.Timeseries)
        {
            var ts = new V2.TimeSeries();
            foreach (var label in series.Labels)
            {
                ts.LabelsRefs.Add(Ref(label.Name));
                ts.LabelsRefs.Add(Ref(label.Value));
            }

            ts.Samples.Add(new V2.Sample { Value = series.Samples[0].Value, Timestamp = series.Samples[0].Timestamp });
            request.Timeseries.Add(ts);
        }

        return request;
    }

    private static IEnumerable<(string, string)> Labels(int i, int seed)
    {
        var pod = $"checkout-{(i * 2654435761L + seed) % 0xFFFFFF:x6}-{i % 97:x2}{i % 89:x2}";
        yield return ("__name__", $"container_{Families[i % Families.Length]}");
        yield return ("container", $"checkout-service-{i % 7}");
        yield return ("endpoint", "https-metrics");
        yield return ("id", $"/kubepods/burstable/pod{i:x8}-{seed:x4}/{i * 7919:x12}");
        yield return ("instance", $"10.224.{i % 13}.{i % 251}:10250");
        yield return ("job", "kubelet");
        yield return ("namespace", $"team-{i % 11}-production");
        yield return ("pod", pod);
    }

    private static readonly string[] Families =
    [
        "cpu_usage_seconds_total", "memory_working_set_bytes", "network_receive_bytes_total",
        "network_transmit_bytes_total", "fs_reads_bytes_total", "fs_writes_bytes_total",
        "cpu_cfs_throttled_periods_total", "memory_rss", "spec_memory_limit_bytes", "threads",
    ];
}
