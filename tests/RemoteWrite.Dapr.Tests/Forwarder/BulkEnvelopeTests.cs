using System.Text;
using System.Text.Json;
using Dapr.AspNetCore;
using RemoteWrite.DaprSidecar;
using RemoteWrite.Forwarder.Apis;

namespace RemoteWrite.Dapr.Tests.Forwarder;

/// <summary>
/// Reading daprd's bulk delivery with the SDK's <see cref="BulkSubscribeMessage{TValue}"/> and
/// <see cref="BulkEvent"/>: a raw-payload entry's event is a base64 string (dapr/dapr
/// pkg/runtime/subscription/bulksubscription.go); a CloudEvent entry (built by the stand-in's own code)
/// carries <c>data_base64</c>.
/// </summary>
public sealed class BulkEnvelopeTests
{
    [Fact]
    public void Raw_payload_entries_carry_their_ids_bytes_and_metadata()
    {
        byte[] a = [0x00, 0xff, 0x10, 0x80], b = [0x7f, 0xfe];
        var json = $$"""{"id":"bulk","topic":"t","pubsubname":"p","metadata":{},"entries":[{"entryId":"e1","event":"{{Convert.ToBase64String(a)}}","metadata":{"rw-format":"1"},"contentType":"application/octet-stream"},{"entryId":"e2","event":"{{Convert.ToBase64String(b)}}","metadata":{},"contentType":"application/octet-stream"}]}""";

        var bulk = Read(json);

        Assert.Equal(["e1", "e2"], bulk.Entries.Select(e => e.EntryId));
        Assert.Equal(a, bulk.Entries[0].Event.Bytes);
        Assert.Equal(b, bulk.Entries[1].Event.Bytes);
        Assert.Equal("1", bulk.Entries[0].Metadata["rw-format"]);
    }

    [Fact]
    public void A_cloud_event_entry_gives_the_bytes_of_data_base64()
    {
        byte[] data = [1, 2, 3, 250];
        var cloudEvent = CloudEventFactory.Create("id", DaprNames.IngressAppId, DaprNames.PubSub, DaprNames.Topic, data, HandOff.ContentType, DateTimeOffset.UtcNow);
        var json = $$"""{"entries":[{"entryId":"c1","event":{{Encoding.UTF8.GetString(cloudEvent)}},"contentType":"application/cloudevents+json"}]}""";

        Assert.Equal(data, Assert.Single(Read(json).Entries).Event.Bytes);
    }

    [Fact]
    public void Events_without_usable_bytes_are_empty_so_they_can_be_answered_drop()
    {
        var text = CloudEventFactory.Create("id", "app", "ps", "t", Encoding.UTF8.GetBytes("hello"), "text/plain", DateTimeOffset.UtcNow);
        var json = $$"""{"entries":[{"entryId":"text","event":{{Encoding.UTF8.GetString(text)}}},{"entryId":"bad","event":"%%%not base64"},{"entryId":"number","event":42}]}""";

        var bulk = Read(json);

        Assert.Equal(["text", "bad", "number"], bulk.Entries.Select(e => e.EntryId));
        Assert.All(bulk.Entries, e => Assert.Empty(e.Event.Bytes));
    }

    [Fact]
    public void The_answer_has_one_status_per_entry_in_the_shape_daprd_reads()
    {
        var answer = new BulkSubscribeAppResponse([new BulkSubscribeAppResponseEntry("e1", BulkSubscribeAppResponseStatus.SUCCESS), new BulkSubscribeAppResponseEntry("e2", BulkSubscribeAppResponseStatus.RETRY)]);

        var json = JsonSerializer.Serialize(answer, JsonSerializerOptions.Web);

        Assert.Equal("""{"statuses":[{"entryId":"e1","status":"SUCCESS"},{"entryId":"e2","status":"RETRY"}]}""", json);
    }

    private static BulkSubscribeMessage<BulkEvent> Read(string json) =>
        JsonSerializer.Deserialize<BulkSubscribeMessage<BulkEvent>>(json, JsonSerializerOptions.Web)!;
}
