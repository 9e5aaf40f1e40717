using System.Net;
using System.Text;
using RemoteWrite.Core.Batching;
using RemoteWrite.Dapr.Tests.Infrastructure;
using RemoteWrite.Forwarder.Delivering;
using Snappier;

namespace RemoteWrite.Dapr.Tests.Forwarder;

/// <summary>
/// The hand-off contract at the forwarder: requests filled close to Azure's limit by joining blocks,
/// a delivery that needs no change sent as it came, the time window decided from the ingress' facts,
/// each entry answered with its own request's outcome, and a deadline that answers RETRY for what
/// was not sent. Azure is a fake handler under the real sender; its bodies are read with Snappier and
/// Google.Protobuf (RemoteWriteBodies), never with the product's code.
/// </summary>
public sealed class DeliveryBatchingTests : IDisposable
{
    private readonly ForwarderHarness _h = new(new Dictionary<string, string?>
    {
        ["Forwarder:DeliveryDeadline"] = "00:00:02",
        ["AzureMonitor:MaxConcurrentSendsPerBatch"] = "1",
    });

    public DeliveryBatchingTests() => _h.AnswerTokens();

    [Fact]
    public async Task A_backlog_fills_requests_to_within_one_message_of_the_limit()
    {
        var deliveries = Enumerable.Range(0, 48).Select(i => WithFacts(Body("fill", i, 900))).ToList();
        var largest = deliveries.Max(d => d.Body.Length);

        var statuses = await _h.Forwarder.ForwardAsync(deliveries, CancellationToken.None);

        Assert.All(statuses, s => Assert.Equal(DeliveryStatus.Success, s));
        var requests = _h.Azure.Requests.ToList();
        Assert.All(requests, r => Assert.True(r.Body.Length <= RequestSplitter.AzureMaxBytes, $"{r.Body.Length} bytes"));
        Assert.All(requests.SkipLast(1), r => Assert.True(r.Body.Length > RequestSplitter.AzureMaxBytes - largest, $"{r.Body.Length} bytes: room for another message"));
        Assert.Equal(48 * 900, requests.Sum(r => RemoteWriteBodies.Count(r.Body).Series));
        Assert.Equal(48 * 900 * 2, requests.Sum(r => RemoteWriteBodies.Count(r.Body).Samples));
    }

    [Fact]
    public async Task A_lone_delivery_inside_the_window_goes_to_azure_byte_for_byte_as_it_came()
    {
        var delivery = WithFacts(Body("as-is", 0, 50));

        Assert.Equal([DeliveryStatus.Success], await _h.Forwarder.ForwardAsync([delivery], CancellationToken.None));

        Assert.Equal(delivery.Body.ToArray(), Assert.Single(_h.Azure.Requests).Body);
    }

    [Fact]
    public async Task Facts_older_than_the_window_drop_the_message_unread_and_count_its_samples()
    {
        var old = _h.Time.GetUtcNow().AddHours(-1).ToUnixTimeMilliseconds();
        var delivery = new Delivery("old", Body("old", 0, 10), new MessageFacts(20, 0, old - 1000, old, "default"));

        Assert.Equal([DeliveryStatus.Drop], await _h.Forwarder.ForwardAsync([delivery], CancellationToken.None));

        Assert.Empty(_h.Azure.Requests);
        Assert.Equal(20, _h.Sum("remotewrite.forwarder.dropped", "too_old"));
    }

    [Fact]
    public async Task A_message_straddling_the_window_edge_is_decoded_and_only_its_recent_samples_sent()
    {
        var now = _h.Time.GetUtcNow();
        var body = RemoteWriteBodies.Compress(
            RemoteWriteBodies.Series("edge", now.AddMinutes(-30).ToUnixTimeMilliseconds(), 1, ("k", "old")),
            RemoteWriteBodies.Series("edge", now.ToUnixTimeMilliseconds(), 2, ("k", "new")));
        var delivery = new Delivery("edge", body, new MessageFacts(2, 0, now.AddMinutes(-30).ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds(), "default"));

        Assert.Equal([DeliveryStatus.Success], await _h.Forwarder.ForwardAsync([delivery], CancellationToken.None));

        Assert.Equal((1, 1), RemoteWriteBodies.Count(Assert.Single(_h.Azure.Requests).Body));
        Assert.Equal(1, _h.Sum("remotewrite.forwarder.dropped", "too_old"));
    }

    [Fact]
    public async Task Each_entry_gets_its_own_requests_outcome()
    {
        // Three messages of over 512 KB: no two fit one request, so each goes alone; Azure refuses the one named "fail".
        var deliveries = new[] { WithFacts(Body("okay", 0, 6000)), WithFacts(Body("fail", 1, 6000)), WithFacts(Body("okay", 2, 6000)) };
        Assert.All(deliveries, d => Assert.InRange(d.Body.Length, (RequestSplitter.AzureMaxBytes / 2) + 1, RequestSplitter.AzureMaxBytes));
        _h.Azure.Respond = r => new HttpResponseMessage(Contains(r.Body, "fail") ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.NoContent);

        var statuses = await _h.Forwarder.ForwardAsync(deliveries, CancellationToken.None);

        Assert.Equal([DeliveryStatus.Success, DeliveryStatus.Retry, DeliveryStatus.Success], statuses);
    }

    [Fact]
    public async Task What_is_not_sent_by_the_deadline_answers_retry_and_only_that()
    {
        var deliveries = new[] { WithFacts(Body("slow", 0, 6000)), WithFacts(Body("slow", 1, 6000)), WithFacts(Body("slow", 2, 6000)), WithFacts(Body("slow", 3, 6000)) };
        _h.Azure.Respond = _ =>
        {
            _h.Time.Advance(TimeSpan.FromMilliseconds(1200)); // Azure answering late (the forwarder's clock); one send at a time
            return new HttpResponseMessage(HttpStatusCode.NoContent);
        };

        var statuses = await _h.Forwarder.ForwardAsync(deliveries, CancellationToken.None);

        Assert.Equal(DeliveryStatus.Success, statuses[0]);
        Assert.Equal(DeliveryStatus.Retry, statuses[3]);
        Assert.Equal(DeliveryStatus.Retry, statuses[2]);
        Assert.True(_h.Azure.Requests.Count <= 2, $"{_h.Azure.Requests.Count} requests: none may start after the deadline");
    }

    private byte[] Body(string run, int batch, int series) => RemoteWriteBodies.Batch(run, batch, series, 2, _h.Time.GetUtcNow(), noise: true);

    private Delivery WithFacts(byte[] body)
    {
        var now = _h.Time.GetUtcNow().ToUnixTimeMilliseconds();
        var samples = RemoteWriteBodies.Count(body).Samples;
        return new Delivery(Guid.NewGuid().ToString(), body, new MessageFacts(samples, 0, now - 60_000, now, "default"));
    }

    private static bool Contains(byte[] compressed, string text) =>
        Snappy.DecompressToArray(compressed).AsSpan().IndexOf(Encoding.ASCII.GetBytes(text)) >= 0;

    public void Dispose() => _h.Dispose();
}
