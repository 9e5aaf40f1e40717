using System.Text.Json;
using Dapr.Client;
using RemoteWrite.Dapr.Tests.Infrastructure;
using RemoteWrite.DaprSidecar;

namespace RemoteWrite.Dapr.Tests.StandIn;

/// <summary>
/// Publishing through the real SDK to the stand-in: octet-stream bytes survive as <c>data_base64</c>;
/// <c>application/x-protobuf</c> is treated as text and mangled, as daprd does (components-contrib
/// pubsub/envelope.go <c>NewCloudEventsEnvelope</c>, contenttype/contenttype.go <c>IsBinaryContentType</c>
/// is octet-stream only), which is why the ingress publishes octet-stream (CONTRACT.md §4).
/// </summary>
public sealed class CloudEventContentTypeTests
{
    [Fact]
    public async Task Snappy_bytes_survive_only_as_octet_stream()
    {
        var broker = new InMemoryBroker(DaprNames.PubSub);
        await using var sidecar = await DaprSidecarStandIn.StartAsync(new SidecarOptions { AppId = DaprNames.IngressAppId }, new DaprNetwork(broker));
        using var dapr = new DaprClientBuilder().UseGrpcEndpoint(sidecar.GrpcEndpoint.ToString()).UseHttpEndpoint(sidecar.HttpEndpoint.ToString()).Build();
        var body = RemoteWriteBodies.Batch("content-type", 0, 20, 2);

        await dapr.PublishByteEventAsync(DaprNames.PubSub, DaprNames.Topic, body, "application/x-protobuf");
        await dapr.PublishByteEventAsync(DaprNames.PubSub, DaprNames.Topic, body, HandOff.ContentType);

        var stored = broker.Messages(DaprNames.PubSub, DaprNames.Topic);
        Assert.Equal(2, stored.Count);
        using (var protobuf = JsonDocument.Parse(stored[0].Data))
        {
            Assert.False(protobuf.RootElement.TryGetProperty("data_base64", out _));
            var text = protobuf.RootElement.GetProperty("data").GetString()!;
            Assert.NotEqual(body, System.Text.Encoding.UTF8.GetBytes(text));
        }

        using var octet = JsonDocument.Parse(stored[1].Data);
        Assert.Equal(HandOff.ContentType, octet.RootElement.GetProperty("datacontenttype").GetString());
        Assert.Equal(body, octet.RootElement.GetProperty("data_base64").GetBytesFromBase64());
    }

    [Fact]
    public async Task A_raw_payload_publish_stores_the_bytes_themselves_with_the_metadata()
    {
        var broker = new InMemoryBroker(DaprNames.PubSub);
        await using var sidecar = await DaprSidecarStandIn.StartAsync(new SidecarOptions { AppId = DaprNames.IngressAppId }, new DaprNetwork(broker));
        using var dapr = new DaprClientBuilder().UseGrpcEndpoint(sidecar.GrpcEndpoint.ToString()).UseHttpEndpoint(sidecar.HttpEndpoint.ToString()).Build();
        var body = RemoteWriteBodies.Batch("raw", 0, 20, 2);
        var facts = new MessageFacts(40, 0, 1, 2, "d");

        await dapr.PublishByteEventAsync(DaprNames.PubSub, DaprNames.Topic, body, HandOff.ContentType, facts.ToPublishMetadata());

        var stored = Assert.Single(broker.Messages(DaprNames.PubSub, DaprNames.Topic));
        Assert.True(stored.Raw);
        Assert.Equal(body, stored.Data);
        Assert.True(MessageFacts.TryRead(stored.Metadata, out var read));
        Assert.Equal(facts, read);
    }
}
