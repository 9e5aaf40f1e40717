using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RemoteWrite.DaprSidecar;

/// <summary>
/// What daprd does for a subscribing app: asks it for its subscriptions (<c>GET /dapr/subscribe</c>,
/// retried until the app answers, pkg/runtime/pubsub/subscriptions.go), then delivers each stored
/// message as a CloudEvent (pkg/runtime/subscription/postman/http/http.go <c>Deliver</c>) or, for a
/// bulk subscription, as one JSON envelope of entries (<c>DeliverBulk</c>), and acts on the answer:
/// SUCCESS (or an empty/non-JSON 2xx body) acknowledges, DROP or 404 drops, RETRY, an unknown
/// status, any other code or a network error redelivers under <see cref="SidecarOptions.DeliveryRetry"/>
/// (components/resiliency.yaml). Once its retries are spent a message goes to the subscription's
/// <c>deadLetterTopic</c> when it has one; otherwise it is delivered again after the component's
/// redelivery time (<see cref="SidecarOptions.RedeliverAfterRetriesExhausted"/>, Redis before
/// components-contrib 1.17, which acknowledges it instead: why the forwarder always has a dead-letter topic).
/// </summary>
public sealed class SubscriptionDeliverer(SidecarRuntime runtime, ILogger<SubscriptionDeliverer> logger) : BackgroundService
{
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (runtime.Options.AppAddress is null || runtime.Broker is not { } broker)
        {
            return;
        }

        var subscriptions = await DiscoverAsync(stoppingToken);
        await Task.WhenAll(subscriptions
            .Where(s => broker.PubSubNames.Contains(s.PubSub))
            .Select(s => Task.Run(() => RunAsync(broker, s, stoppingToken), stoppingToken)));
    }

    private async Task<IReadOnlyList<Subscription>> DiscoverAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(runtime.Options.AppAddress!, "/dapr/subscribe"));
                runtime.AddAppToken(request);
                using var response = await runtime.AppClient.SendAsync(request, stoppingToken);
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    return [];
                }

                if (response.IsSuccessStatusCode)
                {
                    return Subscription.Parse(await response.Content.ReadAsStringAsync(stoppingToken));
                }
            }
            catch (HttpRequestException)
            {
                // The app is not listening yet: daprd waits for the app port too.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), stoppingToken);
        }
    }

    private async Task RunAsync(IPubSubBroker broker, Subscription subscription, CancellationToken stoppingToken)
    {
        var group = runtime.Options.AppId;
        broker.Subscribe(subscription.PubSub, subscription.Topic, group);
        var inFlight = new List<Task>();
        DateTimeOffset? firstWaiting = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            inFlight.RemoveAll(t => t.IsCompleted);
            var now = DateTimeOffset.UtcNow;
            if (subscription.Bulk)
            {
                // One bulk in flight at a time per subscription; it closes at maxMessagesCount or
                // maxAwaitDurationMs. The default bulk subscriber waits on each message the component
                // hands it, and Redis hands out at most `concurrency` at once (pubsub/redis/redis.go
                // workers; dapr/dapr pkg/runtime/pubsub/default_bulksub.go): a bulk never holds more.
                var bulkSize = Math.Min(subscription.MaxMessagesCount, runtime.Options.Concurrency);
                if (inFlight.Count == 0)
                {
                    var due = broker.DueCount(subscription.PubSub, subscription.Topic, group, now);
                    firstWaiting = due == 0 ? null : firstWaiting ?? now;
                    if (due > 0 && (due >= bulkSize || now - firstWaiting >= TimeSpan.FromMilliseconds(subscription.MaxAwaitDurationMs)))
                    {
                        var leased = broker.Lease(subscription.PubSub, subscription.Topic, group, bulkSize, now);
                        inFlight.Add(DeliverBulkAsync(broker, subscription, leased, stoppingToken));
                        firstWaiting = null;
                        continue;
                    }
                }
            }
            else
            {
                var room = runtime.Options.Concurrency - inFlight.Count;
                if (room > 0)
                {
                    var leased = broker.Lease(subscription.PubSub, subscription.Topic, group, room, now);
                    foreach (var delivery in leased)
                    {
                        inFlight.Add(DeliverAsync(broker, subscription, delivery, stoppingToken));
                    }

                    if (leased.Count > 0)
                    {
                        continue;
                    }
                }
            }

            try
            {
                await Task.Delay(Idle, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await Task.WhenAll(inFlight).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task DeliverAsync(IPubSubBroker broker, Subscription subscription, PendingDelivery delivery, CancellationToken stoppingToken)
    {
        var message = delivery.Message;

        // pkg/runtime/subscription/subscription.go: a raw-payload subscription gets the stored bytes
        // wrapped in a new CloudEvent (FromRawPayload); otherwise the stored CloudEvent as it is.
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(runtime.Options.AppAddress!, subscription.Route))
        {
            Content = new ByteArrayContent(subscription.RawPayload ? CloudEventFactory.FromRawPayload(message.Data, subscription.Topic, subscription.PubSub) : message.Data),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(CloudEventFactory.ContentType);
        foreach (var (key, value) in message.Metadata)
        {
            request.Headers.TryAddWithoutValidation(key, value);
        }

        runtime.AddAppToken(request);
        var outcome = Outcome.Retry;
        try
        {
            using var response = await runtime.AppClient.SendAsync(request, stoppingToken);
            var body = await response.Content.ReadAsStringAsync(stoppingToken);
            outcome = response.StatusCode == HttpStatusCode.NotFound ? Outcome.Drop
                : SidecarHttpApi.IsSuccess(response.StatusCode) ? StatusOf(body)
                : Outcome.Retry;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
        {
            logger.LogDebug("Delivery of {Id} to {App} failed: {Error}", message.Id, runtime.Options.AppId, e.Message);
        }
        catch (OperationCanceledException)
        {
            // Shutting down: the message stays pending.
        }

        Settle(broker, subscription, delivery, outcome);
    }

    private async Task DeliverBulkAsync(IPubSubBroker broker, Subscription subscription, IReadOnlyList<PendingDelivery> deliveries, CancellationToken stoppingToken)
    {
        var byEntry = deliveries.ToDictionary(_ => Guid.NewGuid().ToString(), d => d);
        var body = BulkEnvelope(subscription, byEntry);
        runtime.Delivered(body.Length);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(runtime.Options.AppAddress!, subscription.Route))
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        runtime.AddAppToken(request);
        var outcomes = byEntry.Keys.ToDictionary(k => k, _ => Outcome.Retry);
        try
        {
            using var response = await runtime.AppClient.SendAsync(request, stoppingToken);
            var answer = await response.Content.ReadAsStringAsync(stoppingToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                foreach (var key in byEntry.Keys)
                {
                    outcomes[key] = Outcome.Drop;
                }
            }
            else if (SidecarHttpApi.IsSuccess(response.StatusCode))
            {
                ReadBulkStatuses(answer, outcomes);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
        {
            if (e is TaskCanceledException)
            {
                runtime.TimedOut();
            }

            logger.LogDebug("Bulk delivery to {App} failed: {Error}", runtime.Options.AppId, e.Message);
        }
        catch (OperationCanceledException)
        {
            // Shutting down: the messages stay pending.
        }

        foreach (var (entryId, delivery) in byEntry)
        {
            Settle(broker, subscription, delivery, outcomes[entryId]);
        }
    }

    private void Settle(IPubSubBroker broker, Subscription subscription, PendingDelivery delivery, Outcome outcome)
    {
        if (outcome == Outcome.Retry)
        {
            var policy = runtime.Options.DeliveryRetry;
            var exhausted = policy.Exhausted(delivery.Attempts);
            if (exhausted && subscription.DeadLetterTopic is { } deadLetter)
            {
                // pkg/runtime/subscription/subscription.go sendToDeadLetter, bulksubscription.go
                // sendBulkToDLQIfConfigured: the failed message is published as it was stored (data,
                // metadata) to the dead-letter topic, and the original is then acknowledged.
                var message = delivery.Message;
                try
                {
                    // Blocking only on this rare path; a broker that cannot take it (Redis down) leaves the message to be retried.
                    broker.PublishAsync(message with { Id = Guid.NewGuid().ToString(), Topic = deadLetter }).GetAwaiter().GetResult();
                    broker.Complete(runtime.Options.AppId, delivery, dropped: false);
                    runtime.DeadLettered();
                    return;
                }
                catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
                {
                    logger.LogDebug("Dead-lettering {Id} failed: {Error}", message.Id, e.Message);
                }
            }

            var wait = exhausted ? runtime.Options.RedeliverAfterRetriesExhausted : policy.Delay(delivery.Attempts);
            broker.Retry(delivery, DateTimeOffset.UtcNow + wait, restartRetries: exhausted);
        }
        else
        {
            broker.Complete(runtime.Options.AppId, delivery, dropped: outcome == Outcome.Drop);
        }
    }

    // components-contrib pubsub/responses.go: "" and SUCCESS succeed, DROP drops, anything else retries;
    // a body that is empty or not JSON counts as success (http.go Deliver).
    private static Outcome StatusOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !TryGet(document.RootElement, "status", out var status))
            {
                return Outcome.Success;
            }

            return status.GetString() switch
            {
                null or "" or "SUCCESS" => Outcome.Success,
                "DROP" => Outcome.Drop,
                _ => Outcome.Retry,
            };
        }
        catch (JsonException)
        {
            return Outcome.Success;
        }
    }

    // http.go DeliverBulk: an unparsable answer retries all; a missing or empty status retries that entry.
    private static void ReadBulkStatuses(string answer, Dictionary<string, Outcome> outcomes)
    {
        try
        {
            using var document = JsonDocument.Parse(answer);
            if (!TryGet(document.RootElement, "statuses", out var statuses) || statuses.ValueKind != JsonValueKind.Array)
            {
                return;
            }

            foreach (var entry in statuses.EnumerateArray())
            {
                if (TryGet(entry, "entryId", out var id) && id.GetString() is { } key && outcomes.ContainsKey(key) && TryGet(entry, "status", out var status))
                {
                    outcomes[key] = status.GetString() switch
                    {
                        "SUCCESS" => Outcome.Success,
                        "DROP" => Outcome.Drop,
                        _ => Outcome.Retry,
                    };
                }
            }
        }
        catch (JsonException)
        {
            // Left as retry.
        }
    }

    // dapr/dapr pkg/runtime/pubsub/bulk_subscriber.go NewBulkSubscribeEnvelope: id, type, topic, pubsubname, metadata, entries.
    private static byte[] BulkEnvelope(Subscription subscription, Dictionary<string, PendingDelivery> byEntry)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", Guid.NewGuid().ToString());
            json.WriteString("type", "com.dapr.event.sent.bulk");
            json.WriteString("topic", subscription.Topic);
            json.WriteString("pubsubname", subscription.PubSub);
            json.WriteStartObject("metadata");
            json.WriteEndObject();
            json.WriteStartArray("entries");
            foreach (var (entryId, delivery) in byEntry)
            {
                json.WriteStartObject();
                json.WriteString("entryId", entryId);

                // pkg/runtime/subscription/bulksubscription.go: with rawPayload the event is the stored
                // bytes as a base64 string, content type octet-stream unless the component gave one.
                if (subscription.RawPayload)
                {
                    json.WriteBase64String("event", delivery.Message.Data);
                }
                else
                {
                    json.WritePropertyName("event");
                    json.WriteRawValue(delivery.Message.Data, skipInputValidation: true);
                }

                json.WriteStartObject("metadata");
                foreach (var (key, value) in delivery.Message.Metadata)
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
                json.WriteString("contentType", subscription.RawPayload ? "application/octet-stream" : CloudEventFactory.ContentType);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static bool TryGet(JsonElement element, string name, out JsonElement value)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    value = property.Value;
                    return true;
                }
            }
        }

        value = default;
        return false;
    }

    private enum Outcome
    {
        Success,
        Retry,
        Drop,
    }
}
