using System.Globalization;
using System.Net.Http.Headers;
using Google.Protobuf;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Protocol.V1;

namespace RemoteWrite.Testing;

/// <summary>Remote-write 1.0 bodies and requests as Prometheus sends them, built with the generated message types.</summary>
public static class RemoteWriteBodies
{
    public const string DefaultDcr = "dcr-00000000000000000000000000000000";

    /// <summary><paramref name="series"/> series <c>test_metric{instance="host-NNNNN"}</c>, with samples a second apart ending before <paramref name="timestampMs"/> (default now).</summary>
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

    /// <summary>A compressed body of <paramref name="series"/> series labelled by <paramref name="run"/> and <paramref name="batch"/> (so arrivals can be counted), each with <paramref name="samples"/> samples ending now.</summary>
    public static byte[] Batch(string run, int batch, int series, int samples) =>
        Batch(run, batch, series, samples, DateTimeOffset.UtcNow);

    /// <summary>As above with the last sample at <paramref name="end"/>; <paramref name="noise"/> adds a random label so snappy cannot shrink it.</summary>
    public static byte[] Batch(string run, int batch, int series, int samples, DateTimeOffset end, bool noise = false)
    {
        var now = end.ToUnixTimeMilliseconds();
        var request = new WriteRequest();
        for (var s = 0; s < series; s++)
        {
            var ts = new TimeSeries();
            ts.Labels.Add(new Label { Name = "__name__", Value = "dapr_test_metric" });
            ts.Labels.Add(new Label { Name = "batch", Value = batch.ToString(CultureInfo.InvariantCulture) });
            ts.Labels.Add(new Label { Name = "instance", Value = $"host-{s:D5}.example:9100" });
            if (noise)
            {
                ts.Labels.Add(new Label { Name = "noise", Value = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48)) });
            }

            ts.Labels.Add(new Label { Name = "run", Value = run });
            for (var i = samples - 1; i >= 0; i--)
            {
                ts.Samples.Add(new Sample { Timestamp = now - i * 1000L, Value = s + i * 0.5 });
            }

            request.Timeseries.Add(ts);
        }

        return Compress(request);
    }

    /// <summary>One series with one sample; labels sorted by name, as Prometheus sends them.</summary>
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

    public static byte[] Compress(WriteRequest request) => SnappyCodec.EncodeToArray(request.ToByteArray());

    public static byte[] Compress(params TimeSeries[] series)
    {
        var request = new WriteRequest();
        request.Timeseries.AddRange(series);
        return Compress(request);
    }

    /// <summary>Decodes a snappy-compressed remote-write 1.0 body.</summary>
    public static WriteRequest Decode(ReadOnlySpan<byte> compressed)
    {
        using var decoded = SnappyCodec.Decode(compressed);
        return WriteRequest.Parser.ParseFrom(decoded.Span);
    }

    /// <summary>Series and samples in a snappy-compressed remote-write 1.0 body.</summary>
    public static (int Series, int Samples) Count(ReadOnlySpan<byte> compressed)
    {
        var request = Decode(compressed);
        return (request.Timeseries.Count, request.Timeseries.Sum(t => t.Samples.Count));
    }

    /// <summary>The body as HTTP content; an empty <paramref name="encoding"/> sends no Content-Encoding.</summary>
    public static ByteArrayContent Content(byte[] compressed, string contentType = RemoteWriteHeaders.V1ContentType, string encoding = "snappy")
    {
        var content = new ByteArrayContent(compressed);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (encoding.Length > 0)
        {
            content.Headers.ContentEncoding.Add(encoding);
        }

        return content;
    }

    /// <summary>A remote-write 1.0 POST to the relative <c>/api/v1/write</c> (for a client with a base address or a TestServer).</summary>
    public static HttpRequestMessage Post(byte[] compressed, string contentType = RemoteWriteHeaders.V1ContentType)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, "/api/v1/write") { Content = Content(compressed, contentType) };
        message.Headers.Add(RemoteWriteHeaders.VersionHeader, RemoteWriteHeaders.V1Version);
        return message;
    }

    /// <summary>A remote-write 1.0 POST to <paramref name="url"/>.</summary>
    public static HttpRequestMessage Post(Uri url, byte[] compressed)
    {
        var message = Post(compressed);
        message.RequestUri = url;
        return message;
    }

    /// <summary>The Azure Monitor ingestion path of a data collection rule.</summary>
    public static string IngestionPath(string dcr = DefaultDcr, string apiVersion = "2023-04-24") =>
        $"/dataCollectionRules/{dcr}/streams/Microsoft-PrometheusMetrics/api/v1/write?api-version={apiVersion}";

    /// <summary>A POST to the Azure Monitor ingestion path, with a bearer token when given.</summary>
    public static HttpRequestMessage IngestionPost(byte[] compressed, string? token, string dcr = DefaultDcr)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, IngestionPath(dcr)) { Content = Content(compressed) };
        request.Headers.Add(RemoteWriteHeaders.VersionHeader, RemoteWriteHeaders.V1Version);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }
}
