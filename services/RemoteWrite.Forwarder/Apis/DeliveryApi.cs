using RemoteWrite.Hosting.Admission;
using System.Text.Json;
using Dapr;
using Dapr.AspNetCore;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using RemoteWrite.Dapr;
using RemoteWrite.Forwarder.Delivering;
using RemoteWrite.Forwarder.Lag;

namespace RemoteWrite.Forwarder.Apis;

/// <summary>
/// The forwarder's subscriptions: announced on <c>GET /dapr/subscribe</c> (programmatic, raw payload,
/// bulk when enabled, dead-letter topic <see cref="DaprNames.RetryTopic"/>) and served on
/// <c>POST /deliveries</c> and, for the retry topic, <c>POST /redeliveries</c>. A bulk arrives as daprd's JSON envelope
/// (the SDK's <see cref="BulkSubscribeMessage{TValue}"/>), each entry answered on its own
/// (<see cref="BulkSubscribeAppResponse"/>); a single message as a CloudEvent that <c>UseCloudEvents</c>
/// has unwrapped into the body bytes, its metadata in headers (pkg/runtime/subscription/postman/http/http.go).
/// The endpoint accepts a full bulk of the largest messages (<see cref="ForwarderOptions.MaxDeliveryBodyBytes"/>),
/// so daprd is never refused a delivery it would then retry forever.
/// </summary>
public static class DeliveryApi
{
    public static WebApplication MapDeliveryApi(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ForwarderOptions>>().Value;
        var requireToken = !string.IsNullOrEmpty(app.Configuration["APP_API_TOKEN"]);

        // Built now, not at the first delivery, so its metrics exist at zero from the start.
        _ = app.Services.GetRequiredService<DeliveryForwarder>();

        var subscribe = app.MapSubscribeHandler();

        // The topic, and the retry topic that catches what daprd gave up on: both dead-letter into the
        // retry topic, so a message whose retries are spent goes round again instead of being acknowledged.
        var deliveries = Subscribe(app, DaprNames.DeliveryRoute, options, options.Topic);
        var redeliveries = Subscribe(app, DaprNames.RetryDeliveryRoute, options, options.RetryTopic);

        if (requireToken)
        {
            // daprd sends APP_API_TOKEN as dapr-api-token on every call to the app (CONTRACT.md §4a).
            subscribe.RequireAuthorization("Dapr");
            deliveries.RequireAuthorization("Dapr");
            redeliveries.RequireAuthorization("Dapr");
        }
        else
        {
            // Fine on one machine behind daprd; anywhere else anyone who reaches the port could inject data.
            app.Logger.LogWarning("APP_API_TOKEN is not set: /{Route} accepts deliveries from any caller that reaches this port. Set it, and the sidecar's app token, wherever the port is reachable from other hosts", DaprNames.DeliveryRoute);
        }

        return app;
    }

    private static RouteHandlerBuilder Subscribe(WebApplication app, string route, ForwarderOptions options, string topic)
    {
        var endpoint = app.MapPost("/" + route, HandleAsync)
            .WithTopic(new TopicOptions { PubsubName = options.PubSubName, Name = topic, DeadLetterTopic = options.RetryTopic, EnableRawPayload = true })
            .WithMetadata(new BodySizeLimit(options.MaxDeliveryBodyBytes))
            // A bulk holds its JSON while its entries are decoded and joined: about twice its size.
            .RequireAdmission(heldPerBodyByte: 2);
        if (options.BulkSubscribe)
        {
            endpoint.WithBulkSubscribe(new BulkSubscribeTopicOptions
            {
                TopicName = topic,
                MaxMessagesCount = options.BulkMaxMessages,
                MaxAwaitDurationMs = options.BulkMaxAwaitMs,
            });
        }

        return endpoint;
    }

    private static async Task<IResult> HandleAsync(HttpContext context, DeliveryForwarder forwarder, DeliveryLag lag)
    {
        var request = context.Request;
        var inFlight = lag.Begin();
        var accepted = false;
        try
        {
            return await AnswerAsync(context, forwarder, inFlight, request, ok => accepted = ok);
        }
        finally
        {
            lag.End(inFlight, accepted);
        }
    }

    private static async Task<IResult> AnswerAsync(HttpContext context, DeliveryForwarder forwarder, InFlightDelivery inFlight, HttpRequest request, Action<bool> sent)
    {
        if (IsJson(request.ContentType))
        {
            var bulk = await JsonSerializer.DeserializeAsync<BulkSubscribeMessage<BulkEvent>>(request.Body, JsonSerializerOptions.Web, context.RequestAborted);
            var entries = bulk?.Entries ?? [];
            try
            {
                var deliveries = new Delivery[entries.Count];
                for (var i = 0; i < entries.Count; i++)
                {
                    var entry = entries[i];
                    deliveries[i] = new Delivery(entry.EntryId ?? "", entry.Event?.Bytes ?? ReadOnlyMemory<byte>.Empty, Facts(entry.Metadata, inFlight));
                }

                var statuses = await forwarder.ForwardAsync(deliveries, context.RequestAborted);
                sent(Array.TrueForAll(statuses, s => s == DeliveryStatus.Success));
                var answers = new List<BulkSubscribeAppResponseEntry>(deliveries.Length);
                for (var i = 0; i < deliveries.Length; i++)
                {
                    answers.Add(new BulkSubscribeAppResponseEntry(deliveries[i].EntryId, statuses[i].ToSdk()));
                }

                return TypedResults.Ok(new BulkSubscribeAppResponse(answers));
            }
            finally
            {
                foreach (var entry in entries)
                {
                    entry.Event?.Dispose();
                }
            }
        }

        using var body = new MemoryStream(request.ContentLength is long n and > 0 and < int.MaxValue ? (int)n : 64 * 1024);
        await request.Body.CopyToAsync(body, context.RequestAborted);
        var single = new Delivery("", body.GetBuffer().AsMemory(0, (int)body.Length), Facts(FactsFromHeaders(request.Headers), inFlight));
        var status = (await forwarder.ForwardAsync([single], context.RequestAborted))[0];
        sent(status == DeliveryStatus.Success);
        return TypedResults.Ok(new SingleAnswer(status.ToWire()));
    }

    // The facts, and the oldest timestamp for the lag gauges (Lag/DeliveryLag.cs).
    private static MessageFacts? Facts(IReadOnlyDictionary<string, string>? metadata, InFlightDelivery inFlight)
    {
        if (!MessageFacts.TryRead(metadata, out var facts))
        {
            return null;
        }

        if (facts.Points > 0)
        {
            inFlight.Saw(facts.MinTimestampMs);
        }

        return facts;
    }

    // daprd passes a single message's metadata as HTTP headers (WithCustomHTTPMetadata).
    private static Dictionary<string, string> FactsFromHeaders(IHeaderDictionary headers)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in (string[])[HandOff.FormatKey, HandOff.SamplesKey, HandOff.HistogramsKey, HandOff.MinTimestampKey, HandOff.MaxTimestampKey, HandOff.DestinationKey])
        {
            if (headers.TryGetValue(key, out var value) && value.Count > 0 && value[0] is { } text)
            {
                metadata[key] = text;
            }
        }

        return metadata;
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null && contentType.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private sealed record SingleAnswer(string Status);

    // Routing applies it before any middleware reads the body (IRequestSizeLimitMetadata, ASP.NET Core 8+).
    private sealed class BodySizeLimit(long bytes) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize { get; } = bytes;
    }
}
