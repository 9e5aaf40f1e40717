using System.Text;
using RemoteWrite.DaprSidecar;
using RemoteWrite.Forwarder.Apis;

namespace RemoteWrite.Dapr.Tests.Forwarder;

/// <summary>Reading daprd's bulk delivery (dapr/dapr pkg/runtime/pubsub/bulk_subscriber.go), built here by the stand-in's own CloudEvent code.</summary>
public sealed class BulkEnvelopeTests
{
    [Fact]
    public void Entries_carry_their_ids_and_the_bytes_of_data_base64()
    {
        byte[] a = [0x00, 0xff, 0x10, 0x80], b = [0x7f, 0xfe];
        var json = Envelope(("e1", Event(a)), ("e2", Event(b)));

        var deliveries = BulkEnvelope.Read(json);

        Assert.Equal(["e1", "e2"], deliveries.Select(d => d.EntryId));
        Assert.Equal(a, deliveries[0].Body.ToArray());
        Assert.Equal(b, deliveries[1].Body.ToArray());
    }

    [Fact]
    public void Keys_match_case_insensitively_and_a_raw_payload_event_is_the_base64_itself()
    {
        var json = Encoding.UTF8.GetBytes("""{"Entries":[{"EntryID":"r1","Event":"AQID","contentType":"application/octet-stream"}]}""");

        var delivery = Assert.Single(BulkEnvelope.Read(json));

        Assert.Equal("r1", delivery.EntryId);
        Assert.Equal([1, 2, 3], delivery.Body.ToArray());
    }

    [Fact]
    public void Entries_without_usable_bytes_are_kept_with_an_empty_body_so_they_can_be_answered_drop()
    {
        var text = CloudEventFactory.Create("id", "app", "ps", "t", Encoding.UTF8.GetBytes("hello"), "text/plain", DateTimeOffset.UtcNow);
        var json = Envelope(
            ("text", text),
            ("bad-base64", Encoding.UTF8.GetBytes("""{"data_base64":"%%%not base64"}""")),
            ("number", Encoding.UTF8.GetBytes("42")));
        var withoutEvent = Encoding.UTF8.GetBytes("""{"entries":[{"entryId":"no-event"}]}""");

        var deliveries = BulkEnvelope.Read(json).Concat(BulkEnvelope.Read(withoutEvent)).ToList();

        Assert.Equal(["text", "bad-base64", "number", "no-event"], deliveries.Select(d => d.EntryId));
        Assert.All(deliveries, d => Assert.True(d.Body.IsEmpty));
    }

    [Fact]
    public void A_document_without_entries_has_no_deliveries()
    {
        Assert.Empty(BulkEnvelope.Read("""{"id":"x","topic":"t"}"""u8));
        Assert.Empty(BulkEnvelope.Read("""{"entries":{}}"""u8));
    }

    private static byte[] Event(byte[] data) =>
        CloudEventFactory.Create(Guid.NewGuid().ToString(), DaprNames.IngressAppId, DaprNames.PubSub, DaprNames.Topic, data, MessageMetadata.ContentType, DateTimeOffset.UtcNow);

    private static byte[] Envelope(params (string Id, byte[] Event)[] entries)
    {
        var items = entries.Select(e => $$"""{"entryId":"{{e.Id}}","event":{{Encoding.UTF8.GetString(e.Event)}},"metadata":{},"contentType":"application/cloudevents+json"}""");
        return Encoding.UTF8.GetBytes($$"""{"id":"bulk","type":"com.dapr.event.sent.bulk","topic":"{{DaprNames.Topic}}","pubsubname":"{{DaprNames.PubSub}}","metadata":{},"entries":[{{string.Join(",", items)}}]}""");
    }
}
