using System.Net.Http.Headers;
using Google.Protobuf;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Protocol.V1;

namespace RemoteWrite.Standalone.Tests.Infrastructure;

/// <summary>Remote-write 1.0 bodies as Prometheus sends them.</summary>
public static class Bodies
{
    public static WriteRequest Request(int series, int samplesPerSeries = 1, long? timestampMs = null)
    {
        var now = timestampMs ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var request = new WriteRequest();
        for (var i = 0; i < series; i++)
        {
            var ts = new TimeSeries();
            ts.Labels.Add(new Label { Name = "__name__", Value = "test_metric" });
            ts.Labels.Add(new Label { Name = "instance", Value = $"host-{i:D5}" });
            for (var s = 0; s < samplesPerSeries; s++)
            {
                ts.Samples.Add(new Sample { Timestamp = now - (samplesPerSeries - s) * 1000, Value = i + s });
            }

            request.Timeseries.Add(ts);
        }

        return request;
    }

    public static byte[] Compressed(WriteRequest request) => SnappyCodec.EncodeToArray(request.ToByteArray());

    public static ByteArrayContent Content(byte[] compressed, string contentType = "application/x-protobuf", string encoding = "snappy")
    {
        var content = new ByteArrayContent(compressed);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (encoding.Length > 0)
        {
            content.Headers.ContentEncoding.Add(encoding);
        }

        return content;
    }

    public static HttpRequestMessage Write(byte[] compressed, string contentType = "application/x-protobuf")
    {
        var message = new HttpRequestMessage(HttpMethod.Post, "/api/v1/write") { Content = Content(compressed, contentType) };
        message.Headers.Add("X-Prometheus-Remote-Write-Version", "0.1.0");
        return message;
    }

    /// <summary>Decodes a body the relay sent upstream.</summary>
    public static WriteRequest Decode(byte[] compressed)
    {
        using var decoded = SnappyCodec.Decode(compressed);
        return WriteRequest.Parser.ParseFrom(decoded.Span);
    }
}
