using System.Net.Http.Headers;
using Google.Protobuf;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Protocol.V1;

namespace RemoteWrite.LocalAzure.Tests.Infrastructure;

/// <summary>Builds remote-write 1.0 requests as Prometheus sends them.</summary>
public static class RemoteWriteBodies
{
    public const string DefaultDcr = "dcr-00000000000000000000000000000000";

    public static string WritePath(string dcr = DefaultDcr, string apiVersion = "2023-04-24") =>
        $"/dataCollectionRules/{dcr}/streams/Microsoft-PrometheusMetrics/api/v1/write?api-version={apiVersion}";

    public static TimeSeries Series(string name, long timestampMs, double value, params (string Name, string Value)[] labels)
    {
        var series = new TimeSeries();
        series.Labels.Add(new Label { Name = "__name__", Value = name });
        foreach (var (n, v) in labels.OrderBy(l => l.Name, StringComparer.Ordinal))
        {
            series.Labels.Add(new Label { Name = n, Value = v });
        }

        series.Samples.Add(new Sample { Timestamp = timestampMs, Value = value });
        return series;
    }

    public static byte[] Compress(params TimeSeries[] series)
    {
        var request = new WriteRequest();
        request.Timeseries.AddRange(series);
        return SnappyCodec.EncodeToArray(request.ToByteArray());
    }

    public static ByteArrayContent Content(byte[] compressed, string contentType = RemoteWriteHeaders.V1ContentType, string encoding = "snappy")
    {
        var content = new ByteArrayContent(compressed);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        content.Headers.ContentEncoding.Add(encoding);
        return content;
    }

    public static HttpRequestMessage Write(byte[] compressed, string? token, string dcr = DefaultDcr)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, WritePath(dcr)) { Content = Content(compressed) };
        request.Headers.Add(RemoteWriteHeaders.VersionHeader, RemoteWriteHeaders.V1Version);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }
}
