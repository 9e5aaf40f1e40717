using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using RemoteWrite.DaprSidecar;

namespace RemoteWrite.Dapr.Tests.StandIn;

/// <summary>
/// Retries spent → the subscription's dead-letter topic, as daprd does (pkg/runtime/subscription:
/// sendToDeadLetter, sendBulkToDLQIfConfigured), so the forwarder's retry topic, dead-lettering into
/// itself, keeps a message going round through an outage longer than one retry span instead of letting
/// Redis acknowledge it (components-contrib ≥ 1.17).
/// </summary>
public sealed class DeadLetterTests
{
    [Fact]
    public async Task A_message_whose_retries_are_spent_goes_round_the_retry_topic_until_the_app_takes_it()
    {
        var calls = new List<string>();
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        await using var app = builder.Build();
        app.MapGet("/dapr/subscribe", () => Results.Json(new object[]
        {
            new { pubsubname = DaprNames.PubSub, topic = DaprNames.Topic, route = "/deliveries", deadLetterTopic = DaprNames.RetryTopic, metadata = new { rawPayload = "true" } },
            new { pubsubname = DaprNames.PubSub, topic = DaprNames.RetryTopic, route = "/redeliveries", deadLetterTopic = DaprNames.RetryTopic, metadata = new { rawPayload = "true" } },
        }));

        // Azure "down" for the first 5 calls: each retry span (1 retry) ends, the message is dead-lettered, twice over.
        app.MapPost("/{route}", (string route) =>
        {
            lock (calls)
            {
                calls.Add(route);
                return Results.Json(new { status = calls.Count <= 5 ? "RETRY" : "SUCCESS" });
            }
        });
        await app.StartAsync();

        var broker = new InMemoryBroker(DaprNames.PubSub);
        await using var sidecar = await DaprSidecarStandIn.StartAsync(new SidecarOptions
        {
            AppId = DaprNames.ForwarderAppId,
            AppAddress = new Uri($"http://127.0.0.1:{port}"),
            DeliveryRetry = new RetryPolicy(true, TimeSpan.Zero, TimeSpan.FromMilliseconds(20), 1.5, TimeSpan.FromMilliseconds(50), MaxRetries: 1),
            RedeliverAfterRetriesExhausted = TimeSpan.FromHours(1), // without the dead-letter topic it would wait this long
        }, new DaprNetwork(broker));
        byte[] body = [1, 2, 3];
        broker.Publish(new BrokerMessage("m1", DaprNames.PubSub, DaprNames.Topic, body, new Dictionary<string, string> { [RawPayload.Key] = "true", ["rw-format"] = "1" }, body.Length));

        await Poll.AssertAsync(() => Task.FromResult(broker.PendingCount(DaprNames.PubSub, DaprNames.Topic, DaprNames.ForwarderAppId) == 0
            && broker.PendingCount(DaprNames.PubSub, DaprNames.RetryTopic, DaprNames.ForwarderAppId) == 0
            && calls.Count >= 6), TimeSpan.FromSeconds(30), "the message taken after going round the retry topic");

        Assert.Equal(["deliveries", "deliveries", "redeliveries", "redeliveries", "redeliveries", "redeliveries"], calls);
        Assert.Equal(2, sidecar.Runtime.DeadLetteredMessages);
        var copies = broker.Messages(DaprNames.PubSub, DaprNames.RetryTopic);
        Assert.Equal(2, copies.Count);
        Assert.All(copies, c => Assert.Equal(body, c.Data));
        Assert.All(copies, c => Assert.Equal("1", c.Metadata["rw-format"]));
        Assert.Equal(0, broker.Dropped);
    }
}
