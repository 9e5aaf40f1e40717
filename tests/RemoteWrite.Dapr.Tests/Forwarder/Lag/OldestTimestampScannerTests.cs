using System.Text;
using RemoteWrite.Forwarder.Lag;

namespace RemoteWrite.Dapr.Tests.Forwarder.Lag;

public sealed class OldestTimestampScannerTests
{
    // A bulk envelope as daprd writes it: each entry's message metadata in its "metadata" object.
    private static readonly byte[] Envelope = Encoding.UTF8.GetBytes(
        """{"id":"b","entries":[{"entryId":"1","event":{"data_base64":"AAAA"},"metadata":{"rw-samples":"10","rw-min-ms":"1700000000500"},"contentType":"application/cloudevents+json"},""" +
        """{"entryId":"2","event":"QkJCQg==","metadata":{"rw-min-ms" : "1700000000100","rw-samples":"3"},"contentType":"application/octet-stream"},""" +
        """{"entryId":"3","event":"Q0ND","metadata":{"rw-min-ms":"1700000000900"}}],"topic":"remotewrite"}""");

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(100_000)]
    public void Finds_the_oldest_timestamp_whatever_the_read_sizes(int chunk)
    {
        var delivery = new InFlightDelivery();
        var scanner = new OldestTimestampScanner(delivery);
        for (var at = 0; at < Envelope.Length; at += chunk)
        {
            scanner.Scan(Envelope.AsSpan(at, Math.Min(chunk, Envelope.Length - at)));
        }

        Assert.Equal(1700000000100, delivery.OldestTimestampMs);
    }

    [Fact]
    public void A_body_without_the_key_leaves_it_unknown()
    {
        var delivery = new InFlightDelivery();
        new OldestTimestampScanner(delivery).Scan("""{"entries":[{"entryId":"1","event":"AAAA","metadata":{"rw-min-ms":"x"}}]}"""u8);
        Assert.Equal(long.MaxValue, delivery.OldestTimestampMs);
    }
}
