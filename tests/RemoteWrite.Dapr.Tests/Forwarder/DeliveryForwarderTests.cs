using System.Net;
using RemoteWrite.Core.Batching;
using RemoteWrite.Dapr.Tests.Infrastructure;
using RemoteWrite.Forwarder;
using RemoteWrite.Forwarder.Delivering;

namespace RemoteWrite.Dapr.Tests.Forwarder;

/// <summary>How the forwarder answers daprd for each Azure outcome, with the real sender over a fake network.</summary>
public sealed class DeliveryForwarderTests : IDisposable
{
    private readonly ForwarderHarness _h = new();

    public DeliveryForwarderTests() => _h.AnswerTokens();

    [Fact]
    public async Task Accepted_deliveries_are_merged_into_one_request_and_answered_success()
    {
        var deliveries = Enumerable.Range(0, 10).Select(i => Delivery(RemoteWriteBodies.Batch("merge", i, 20, 3, _h.Time.GetUtcNow()))).ToList();

        var statuses = await _h.Forwarder.ForwardAsync(deliveries, CancellationToken.None);

        Assert.All(statuses, s => Assert.Equal(DeliveryStatus.Success, s));
        var request = Assert.Single(_h.Azure.Requests);
        Assert.Equal(new Uri(ForwarderHarness.IngestionUrl), request.Uri);
        Assert.Equal("token-1", request.Bearer);
        Assert.True(request.Body.Length <= RequestSplitter.AzureMaxBytes);
        Assert.Equal((200, 600), RemoteWriteBodies.Count(request.Body));
        Assert.Equal(10, _h.Sum("remotewrite.forwarder.deliveries", "success"));
    }

    [Fact]
    public async Task A_delivery_over_one_megabyte_is_cut_into_several_requests_under_the_limit()
    {
        var big = RemoteWriteBodies.Batch("big", 0, 12_000, 2, _h.Time.GetUtcNow(), noise: true);
        Assert.True(big.Length > RequestSplitter.AzureMaxBytes, $"the test body is only {big.Length} bytes");

        var statuses = await _h.Forwarder.ForwardAsync([Delivery(big)], CancellationToken.None);

        Assert.Equal([DeliveryStatus.Success], statuses);
        Assert.True(_h.Azure.Requests.Count >= 2, $"{_h.Azure.Requests.Count} request(s)");
        Assert.All(_h.Azure.Requests, r => Assert.True(r.Body.Length <= RequestSplitter.AzureMaxBytes, $"{r.Body.Length} bytes"));
        Assert.Equal(12_000, _h.Azure.Requests.Sum(r => RemoteWriteBodies.Count(r.Body).Series));
        Assert.Equal(24_000, _h.Azure.Requests.Sum(r => RemoteWriteBodies.Count(r.Body).Samples));
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task Azure_refusing_for_now_means_retry_for_every_delivery_of_the_group(HttpStatusCode status)
    {
        _h.Azure.Respond = _ => new HttpResponseMessage(status) { Content = new StringContent("{\"error\":{\"code\":\"x\",\"message\":\"not now\"}}") };

        var statuses = await _h.Forwarder.ForwardAsync([Delivery(RemoteWriteBodies.Batch("retry", 0, 5, 1, _h.Time.GetUtcNow())), Delivery(RemoteWriteBodies.Batch("retry", 1, 5, 1, _h.Time.GetUtcNow()))], CancellationToken.None);

        Assert.Equal([DeliveryStatus.Retry, DeliveryStatus.Retry], statuses);
        Assert.Equal(2, _h.Sum("remotewrite.forwarder.deliveries", "retry"));
        Assert.Equal(0, _h.Sum("remotewrite.forwarder.dropped"));
    }

    [Fact]
    public async Task A_network_error_means_retry()
    {
        _h.Azure.Respond = _ => throw new HttpRequestException("connection refused");

        var statuses = await _h.Forwarder.ForwardAsync([Delivery(RemoteWriteBodies.Batch("net", 0, 5, 1, _h.Time.GetUtcNow()))], CancellationToken.None);

        Assert.Equal([DeliveryStatus.Retry], statuses);
        Assert.NotEmpty(_h.Azure.Requests);
    }

    [Fact]
    public async Task Azure_rejecting_the_data_as_invalid_means_drop_with_the_reason_reported()
    {
        _h.Azure.Respond = _ => new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StringContent("{\"error\":{\"code\":\"InvalidInput\",\"message\":\"bad series\"}}") };

        var statuses = await _h.Forwarder.ForwardAsync([Delivery(RemoteWriteBodies.Batch("bad", 0, 5, 1, _h.Time.GetUtcNow()))], CancellationToken.None);

        Assert.Equal([DeliveryStatus.Drop], statuses);
        Assert.Contains(_h.Invalid.Take().Keys, k => k.Contains("bad series", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invalid_bodies_are_dropped_and_counted_while_the_valid_ones_are_sent()
    {
        byte[] notSnappy = [0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02];
        var deliveries = new[] { Delivery(RemoteWriteBodies.Batch("mixed", 0, 5, 1, _h.Time.GetUtcNow())), Delivery(notSnappy), new Delivery("empty", ReadOnlyMemory<byte>.Empty) };

        var statuses = await _h.Forwarder.ForwardAsync(deliveries, CancellationToken.None);

        Assert.Equal([DeliveryStatus.Success, DeliveryStatus.Drop, DeliveryStatus.Drop], statuses);
        Assert.Equal(2, _h.Sum("remotewrite.forwarder.dropped.messages", "invalid"));
        Assert.Equal(2, _h.Invalid.Take().Values.Sum());
        Assert.Equal((5, 5), RemoteWriteBodies.Count(Assert.Single(_h.Azure.Requests).Body));
    }

    [Fact]
    public async Task A_body_left_empty_by_the_time_window_is_dropped_counted_and_not_sent()
    {
        var hourAgo = _h.Time.GetUtcNow().AddHours(-1);

        var statuses = await _h.Forwarder.ForwardAsync([Delivery(RemoteWriteBodies.Batch("old", 0, 7, 3, hourAgo))], CancellationToken.None);

        Assert.Equal([DeliveryStatus.Drop], statuses);
        Assert.Equal(21, _h.Sum("remotewrite.forwarder.dropped", "too_old"));
        Assert.Empty(_h.Azure.Requests);
    }

    [Fact]
    public async Task No_token_from_the_token_service_means_retry_without_calling_azure()
    {
        _h.Sidecar.Respond = _ => new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StringContent("{\"errorCode\":\"ERR_DIRECT_INVOKE\"}") };

        var statuses = await _h.Forwarder.ForwardAsync([Delivery(RemoteWriteBodies.Batch("notoken", 0, 5, 1, _h.Time.GetUtcNow()))], CancellationToken.None);

        Assert.Equal([DeliveryStatus.Retry], statuses);
        Assert.Empty(_h.Azure.Requests);
    }

    [Fact]
    public async Task A_single_non_bulk_delivery_is_sent_as_one_request_of_its_own()
    {
        var body = RemoteWriteBodies.Batch("single", 0, 9, 2, _h.Time.GetUtcNow());

        var statuses = await _h.Forwarder.ForwardAsync([new Delivery("", body)], CancellationToken.None);

        Assert.Equal([DeliveryStatus.Success], statuses);
        Assert.Equal((9, 18), RemoteWriteBodies.Count(Assert.Single(_h.Azure.Requests).Body));
    }

    private static Delivery Delivery(byte[] body) => new(Guid.NewGuid().ToString(), body);

    public void Dispose() => _h.Dispose();
}
