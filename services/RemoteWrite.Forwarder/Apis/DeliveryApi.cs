using System.Text.Json;
using Dapr.AspNetCore;
using Microsoft.Extensions.Options;
using RemoteWrite.Dapr;

namespace RemoteWrite.Forwarder.Apis;

/// <summary>
/// The forwarder's subscription: announced on <c>GET /dapr/subscribe</c> (programmatic, with bulk
/// subscribe when enabled) and served on <c>POST /deliveries</c>. A single delivery arrives as a
/// CloudEvent that <c>UseCloudEvents</c> has already unwrapped into the body bytes
/// (src/Dapr.AspNetCore/CloudEventsMiddleware.cs); a bulk delivery arrives as daprd's JSON envelope
/// of entries, each event a CloudEvent with <c>data_base64</c> (dapr/dapr pkg/runtime/pubsub/bulk_subscriber.go).
/// </summary>
public static class DeliveryApi
{
    public static WebApplication MapDeliveryApi(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ForwarderOptions>>().Value;
        var requireToken = !string.IsNullOrEmpty(app.Configuration["APP_API_TOKEN"]);

        var subscribe = app.MapSubscribeHandler();
        var deliveries = app.MapPost("/" + DaprNames.DeliveryRoute, HandleAsync).WithTopic(options.PubSubName, options.Topic);
        if (options.BulkSubscribe)
        {
            deliveries.WithBulkSubscribe(new BulkSubscribeTopicOptions
            {
                TopicName = options.Topic,
                MaxMessagesCount = options.BulkMaxMessages,
                MaxAwaitDurationMs = options.BulkMaxAwaitMs,
            });
        }

        if (requireToken)
        {
            // daprd sends APP_API_TOKEN as dapr-api-token on every call to the app (CONTRACT.md §4a).
            subscribe.RequireAuthorization("Dapr");
            deliveries.RequireAuthorization("Dapr");
        }

        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext context, DeliveryForwarder forwarder)
    {
        var request = context.Request;
        using var body = new MemoryStream(request.ContentLength is long n and > 0 and < int.MaxValue ? (int)n : 64 * 1024);
        await request.Body.CopyToAsync(body, context.RequestAborted);
        var bytes = body.GetBuffer().AsMemory(0, (int)body.Length);

        if (IsJson(request.ContentType))
        {
            var entries = BulkEnvelope.Read(bytes.Span);
            var statuses = await forwarder.ForwardAsync(entries, context.RequestAborted);
            return TypedResults.Ok(new BulkAnswer([.. entries.Select((e, i) => new BulkEntryAnswer(e.EntryId, statuses[i].ToWire()))]));
        }

        var status = (await forwarder.ForwardAsync([new Delivery("", bytes)], context.RequestAborted))[0];
        return TypedResults.Ok(new SingleAnswer(status.ToWire()));
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null && contentType.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private sealed record SingleAnswer(string Status);

    private sealed record BulkAnswer(IReadOnlyList<BulkEntryAnswer> Statuses);

    private sealed record BulkEntryAnswer(string EntryId, string Status);
}
