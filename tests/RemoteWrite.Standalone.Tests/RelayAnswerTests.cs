using System.Net;
using System.Net.Http.Headers;
using RemoteWrite.Standalone.Tests.Infrastructure;

namespace RemoteWrite.Standalone.Tests;

/// <summary>What the relay answers Prometheus for each of Azure's answers (CONTRACT.md §1, §2).</summary>
public sealed class RelayAnswerTests
{
    private static readonly byte[] Body = RemoteWriteBodies.Compress(RemoteWriteBodies.Request(series: 10, samplesPerSeries: 3));

    [Fact]
    public async Task Accepted_by_Azure_answers_204_after_posting_the_body_with_the_ingestion_headers()
    {
        using var relay = new RelayFactory();
        using var client = relay.CreateClient();

        using var response = await client.SendAsync(RemoteWriteBodies.Post(Body));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var sent = Assert.Single(relay.Azure.Requests);
        Assert.Equal(RelayFactory.IngestionUrl, sent.Uri.ToString());
        Assert.Equal("Bearer token-1", sent.Authorization);
        Assert.Equal("application/x-protobuf", sent.ContentType);
        Assert.Equal("snappy", sent.ContentEncoding);
        Assert.Equal("0.1.0", sent.Version);
        Assert.Contains("prometheus-remote-write-relay", sent.UserAgent);
        Assert.Equal(RemoteWriteBodies.Request(10, 3).Timeseries.Count, RemoteWriteBodies.Decode(sent.Body).Timeseries.Count);
        Assert.Equal(30, RemoteWriteBodies.Decode(sent.Body).Timeseries.Sum(t => t.Samples.Count));
    }

    [Fact]
    public async Task Throttled_by_Azure_answers_503_and_passes_Retry_After_on()
    {
        using var relay = new RelayFactory();
        relay.Azure.Then(HttpStatusCode.TooManyRequests, configure: r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(17)));
        using var client = relay.CreateClient();

        using var response = await client.SendAsync(RemoteWriteBodies.Post(Body));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(17), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Retry_After_as_an_HTTP_date_is_passed_on_as_seconds()
    {
        using var relay = new RelayFactory();
        relay.Azure.Then(HttpStatusCode.ServiceUnavailable, configure: r => r.Headers.RetryAfter = new RetryConditionHeaderValue(DateTimeOffset.UtcNow.AddSeconds(40)));
        using var client = relay.CreateClient();

        using var response = await client.SendAsync(RemoteWriteBodies.Post(Body));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.InRange(response.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 35, 41);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task Server_errors_from_Azure_answer_503_never_429(HttpStatusCode status)
    {
        using var relay = new RelayFactory();
        relay.Azure.Then(status);
        using var client = relay.CreateClient();

        using var response = await client.SendAsync(RemoteWriteBodies.Post(Body));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task Operator_can_ask_for_429_instead_of_503()
    {
        using var relay = new RelayFactory(new Dictionary<string, string?> { ["Receiver:RetryStatusCode"] = "429" });
        relay.Azure.Then(HttpStatusCode.ServiceUnavailable);
        using var client = relay.CreateClient();

        using var response = await client.SendAsync(RemoteWriteBodies.Post(Body));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
    }

    [Fact]
    public async Task Connection_error_answers_503()
    {
        using var relay = new RelayFactory();
        relay.Azure.Then((_, _) => throw new HttpRequestException("connection refused"));
        using var client = relay.CreateClient();

        using var response = await client.SendAsync(RemoteWriteBodies.Post(Body));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("cannot reach Azure Monitor", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Azure_not_answering_in_time_answers_503()
    {
        using var relay = new RelayFactory(new Dictionary<string, string?> { ["AzureMonitor:AttemptTimeout"] = "00:00:00.300", ["AzureMonitor:TotalTimeout"] = "00:00:01" });
        relay.Azure.Then(async (_, cancellationToken) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        using var client = relay.CreateClient();

        using var response = await client.SendAsync(RemoteWriteBodies.Post(Body));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("did not answer in time", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Transient_failure_is_retried_quickly_inside_the_relay_when_retries_are_on()
    {
        using var relay = new RelayFactory(new Dictionary<string, string?> { ["AzureMonitor:MaxRetries"] = "2" });
        relay.Azure.Then(HttpStatusCode.BadGateway).Then((_, _) => throw new HttpRequestException("reset"));
        using var client = relay.CreateClient();

        using var response = await client.SendAsync(RemoteWriteBodies.Post(Body));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(3, relay.Azure.Requests.Count);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task Refused_token_is_invalidated_and_the_part_sent_once_more_with_a_new_token(HttpStatusCode status)
    {
        using var relay = new RelayFactory();
        relay.Azure.Then(status, """{"error":{"code":"InvalidToken","message":"expired"}}""");
        using var client = relay.CreateClient();

        using var response = await client.SendAsync(RemoteWriteBodies.Post(Body));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(["token-1"], relay.Tokens.Invalidated);
        Assert.Equal(["Bearer token-1", "Bearer token-2"], relay.Azure.Requests.Select(r => r.Authorization));
    }

    [Fact]
    public async Task Refused_twice_answers_503_with_the_role_hint()
    {
        using var relay = new RelayFactory();
        const string Missing = """{"error":{"code":"OperationFailed","message":"The authentication token provided does not have access to ingest data for the data collection rule with immutable Id 'dcr-0123'"}}""";
        relay.Azure.Then(HttpStatusCode.Forbidden, Missing).Then(HttpStatusCode.Forbidden, Missing);
        using var client = relay.CreateClient();

        using var response = await client.SendAsync(RemoteWriteBodies.Post(Body));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("does not have access to ingest data", text);
        Assert.Contains("Monitoring Metrics Publisher", text);
        Assert.Equal(2, relay.Azure.Requests.Count);
    }

    [Fact]
    public async Task Bad_request_from_Azure_answers_400_with_Azures_message()
    {
        using var relay = new RelayFactory();
        relay.Azure.Then(HttpStatusCode.BadRequest, """{"error":{"code":"InvalidRequest","message":"label value too long"}}""");
        using var client = relay.CreateClient();

        using var response = await client.SendAsync(RemoteWriteBodies.Post(Body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("InvalidRequest: label value too long", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Content_too_large_from_Azure_answers_400_so_the_sender_does_not_retry_forever()
    {
        using var relay = new RelayFactory();
        relay.Azure.Then(HttpStatusCode.RequestEntityTooLarge, "Maximum allowed content length: 1048576 bytes (1 MB). Provided content length: 1175590 bytes");
        using var client = relay.CreateClient();

        using var response = await client.SendAsync(RemoteWriteBodies.Post(Body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Maximum allowed content length", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task No_token_answers_503_without_calling_Azure()
    {
        using var relay = new RelayFactory();
        relay.Tokens.Empty = true;
        using var client = relay.CreateClient();

        using var response = await client.SendAsync(RemoteWriteBodies.Post(Body));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Empty(relay.Azure.Requests);
    }

    [Fact]
    public async Task Malformed_body_answers_400_and_Azure_is_not_called()
    {
        using var relay = new RelayFactory();
        using var client = relay.CreateClient();

        // Valid snappy around bytes that are no protobuf (a field with wire type 7).
        using var response = await client.SendAsync(RemoteWriteBodies.Post(Core.Codec.SnappyCodec.EncodeToArray([0x0f, 0xff, 0xff, 0x01, 0x02])));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(relay.Azure.Requests);
    }

    [Fact]
    public async Task Too_large_body_answers_413()
    {
        using var relay = new RelayFactory(new Dictionary<string, string?> { ["RemoteWrite:MaxRequestBytes"] = "2048" });
        using var client = relay.CreateClient();
        var large = RemoteWriteBodies.Compress(RemoteWriteBodies.Request(series: 2000));

        using var response = await client.SendAsync(RemoteWriteBodies.Post(large));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(relay.Azure.Requests);
    }

    [Fact]
    public async Task Unsupported_content_type_answers_415()
    {
        using var relay = new RelayFactory();
        using var client = relay.CreateClient();

        using var response = await client.SendAsync(RemoteWriteBodies.Post(Body, contentType: "application/json"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task A_body_over_the_part_limit_is_split_and_answered_only_after_every_part_is_accepted()
    {
        using var relay = new RelayFactory(new Dictionary<string, string?> { ["RemoteWrite:MaxPartBytes"] = "4096" });
        using var client = relay.CreateClient();
        var request = RemoteWriteBodies.Request(series: 2000, samplesPerSeries: 2);

        using var response = await client.SendAsync(RemoteWriteBodies.Post(RemoteWriteBodies.Compress(request)));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var parts = relay.Azure.Requests.ToList();
        Assert.True(parts.Count > 1, $"expected several parts, got {parts.Count}");
        Assert.All(parts, p => Assert.True(p.Body.Length <= 4096, $"part of {p.Body.Length} bytes"));
        Assert.Equal(4000, parts.Sum(p => RemoteWriteBodies.Decode(p.Body).Timeseries.Sum(t => t.Samples.Count)));
    }

    [Fact]
    public async Task A_failing_part_answers_503_so_the_whole_request_is_sent_again()
    {
        // One part at a time, so "stops at the first failure" is exact.
        using var relay = new RelayFactory(new Dictionary<string, string?> { ["RemoteWrite:MaxPartBytes"] = "4096", ["AzureMonitor:MaxConcurrentSendsPerBatch"] = "1" });
        relay.Azure.Then(HttpStatusCode.OK).Then(HttpStatusCode.ServiceUnavailable);
        using var client = relay.CreateClient();

        using var response = await client.SendAsync(RemoteWriteBodies.Post(RemoteWriteBodies.Compress(RemoteWriteBodies.Request(series: 2000))));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(2, relay.Azure.Requests.Count); // starts no part after the first failure
    }
}
