using System.Net.Http.Headers;
using Google.Protobuf;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Protocol.V1;

namespace RemoteWrite.Dapr.Tests.Infrastructure;

/// <summary>Remote-write 1.0 requests as Prometheus sends them, with distinct series so arrivals can be counted.</summary>
public static class Bodies
{
    /// <summary><paramref name="series"/> series named by <paramref name="run"/>, each with <paramref name="samples"/> samples ending now.</summary>
    public static byte[] Request(string run, int batch, int series, int samples) =>
        Request(run, batch, series, samples, DateTimeOffset.UtcNow);

    /// <summary>As above with the last sample at <paramref name="end"/>; <paramref name="noise"/> adds a random label so snappy cannot shrink it.</summary>
    public static byte[] Request(string run, int batch, int series, int samples, DateTimeOffset end, bool noise = false)
    {
        var now = end.ToUnixTimeMilliseconds();
        var request = new WriteRequest();
        for (var s = 0; s < series; s++)
        {
            var ts = new TimeSeries();
            ts.Labels.Add(new Label { Name = "__name__", Value = "dapr_test_metric" });
            ts.Labels.Add(new Label { Name = "batch", Value = batch.ToString(System.Globalization.CultureInfo.InvariantCulture) });
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

        return SnappyCodec.EncodeToArray(request.ToByteArray());
    }

    /// <summary>Series and samples in a snappy-compressed remote-write 1.0 body.</summary>
    public static (int Series, int Samples) Count(ReadOnlySpan<byte> compressed)
    {
        using var decoded = SnappyCodec.Decode(compressed);
        var request = WriteRequest.Parser.ParseFrom(decoded.Span);
        return (request.Timeseries.Count, request.Timeseries.Sum(t => t.Samples.Count));
    }

    public static HttpRequestMessage Post(Uri url, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(RemoteWriteHeaders.V1ContentType);
        content.Headers.ContentEncoding.Add("snappy");
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.Add(RemoteWriteHeaders.VersionHeader, RemoteWriteHeaders.V1Version);
        return request;
    }
}
