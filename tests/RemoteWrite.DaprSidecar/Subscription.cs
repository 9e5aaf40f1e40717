using System.Text.Json;

namespace RemoteWrite.DaprSidecar;

/// <summary>
/// One entry of the app's <c>GET /dapr/subscribe</c> answer, read as daprd reads it
/// (dapr/dapr pkg/runtime/pubsub/subscriptions.go: keys case-insensitive, <c>route</c> or
/// <c>routes.default</c>, a leading slash added, <c>bulkSubscribe</c> optional).
/// </summary>
public sealed record Subscription(string PubSub, string Topic, string Route, bool Bulk, int MaxMessagesCount, int MaxAwaitDurationMs, bool RawPayload = false, string? DeadLetterTopic = null)
{
    // daprd's defaults for bulk subscribe (pkg/runtime/subscription/bulksubscription.go).
    public const int DefaultMaxMessagesCount = 100;
    public const int DefaultMaxAwaitDurationMs = 1000;

    public static IReadOnlyList<Subscription> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var result = new List<Subscription>();
        foreach (var item in document.RootElement.EnumerateArray())
        {
            var pubSub = Get(item, "pubsubname")?.GetString();
            var topic = Get(item, "topic")?.GetString();
            var route = Get(item, "route")?.GetString();
            if (string.IsNullOrEmpty(route) && Get(item, "routes") is { } routes)
            {
                route = Get(routes, "default")?.GetString();
            }

            if (string.IsNullOrEmpty(pubSub) || string.IsNullOrEmpty(topic) || string.IsNullOrEmpty(route))
            {
                continue;
            }

            var bulk = false;
            int max = DefaultMaxMessagesCount, wait = DefaultMaxAwaitDurationMs;
            if (Get(item, "bulkSubscribe") is { ValueKind: JsonValueKind.Object } b)
            {
                bulk = Get(b, "enabled") is { ValueKind: JsonValueKind.True };
                max = Get(b, "maxMessagesCount") is { ValueKind: JsonValueKind.Number } m && m.GetInt32() > 0 ? m.GetInt32() : max;
                wait = Get(b, "maxAwaitDurationMs") is { ValueKind: JsonValueKind.Number } w && w.GetInt32() > 0 ? w.GetInt32() : wait;
            }

            // pkg/runtime/pubsub/subscriptions.go: the subscription's "metadata" map, rawPayload among it.
            var raw = Get(item, "metadata") is { ValueKind: JsonValueKind.Object } metadata
                && DaprSidecar.RawPayload.IsSet(metadata.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).ToDictionary(p => p.Name, p => p.Value.GetString()!));
            var deadLetter = Get(item, "deadLetterTopic")?.GetString();
            result.Add(new Subscription(pubSub, topic, route.StartsWith('/') ? route : "/" + route, bulk, max, wait, raw, string.IsNullOrEmpty(deadLetter) ? null : deadLetter));
        }

        return result;
    }

    private static JsonElement? Get(JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }
}
