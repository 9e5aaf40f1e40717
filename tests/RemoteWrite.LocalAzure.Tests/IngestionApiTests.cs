using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Time.Testing;
using RemoteWrite.LocalAzure.Tests.Infrastructure;
using static RemoteWrite.Testing.RemoteWriteBodies;

namespace RemoteWrite.LocalAzure.Tests;

/// <summary>Every status the ingestion endpoint answers (CONTRACT §2), on TestServer.</summary>
public sealed class IngestionApiTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly LocalAzureFactory _factory;
    private readonly HttpClient _client;

    public IngestionApiTests()
    {
        _factory = new LocalAzureFactory(time: _time);
        _client = _factory.CreateClient();
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    [Fact]
    public async Task Accepts_a_valid_write_with_200_and_an_empty_body()
    {
        var token = await Tokens.DevAppTokenAsync(_client);
        using var response = await _client.SendAsync(IngestionPost(Compress(Series("up", NowMs, 1, ("job", "a")), Series("up", NowMs, 0, ("job", "b"))), token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        var stats = await Tokens.StatsAsync(_client);
        Assert.Equal(2, stats.GetProperty("total").GetProperty("samples").GetInt64());
        Assert.Equal(2, stats.GetProperty("series").GetInt32());
        Assert.Equal(1, stats.GetProperty("byDcr").GetProperty(DefaultDcr).GetProperty("accepted").GetInt64());
        Assert.Equal(2, stats.GetProperty("byIdentity").GetProperty(Options.LocalAzureOptions.DevClientId).GetProperty("samples").GetInt64());
    }

    [Fact]
    public async Task Accepts_the_older_preview_api_version_and_refuses_unknown_ones()
    {
        var token = await Tokens.DevAppTokenAsync(_client);
        var body = Compress(Series("up", NowMs, 1));
        using var preview = IngestionPost(body, token);
        preview.RequestUri = new Uri(IngestionPath(apiVersion: "2021-11-01-preview"), UriKind.Relative);
        using var unknown = IngestionPost(body, token);
        unknown.RequestUri = new Uri(IngestionPath(apiVersion: "1999-01-01"), UriKind.Relative);

        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(preview)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.SendAsync(unknown)).StatusCode);
    }

    [Fact]
    public async Task Refuses_a_missing_token_with_401()
    {
        using var response = await _client.SendAsync(IngestionPost(Compress(Series("up", NowMs, 1)), token: null));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Refuses_a_token_with_a_bad_signature_with_401()
    {
        var token = await Tokens.DevAppTokenAsync(_client);
        var tampered = token[..^4] + (token[^4..] == "AAAA" ? "BBBB" : "AAAA");
        using var response = await _client.SendAsync(IngestionPost(Compress(Series("up", NowMs, 1)), tampered));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("InvalidAuthenticationToken", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Refuses_a_token_from_another_issuer_with_401()
    {
        // Same claims, signed by a different stand-in instance: the signature does not verify.
        using var other = new LocalAzureFactory();
        var foreign = await Tokens.DevAppTokenAsync(other.CreateClient());
        using var response = await _client.SendAsync(IngestionPost(Compress(Series("up", NowMs, 1)), foreign));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Refuses_an_expired_token_with_401()
    {
        var token = await Tokens.DevAppTokenAsync(_client);
        _time.Advance(TimeSpan.FromHours(2));
        using var response = await _client.SendAsync(IngestionPost(Compress(Series("up", NowMs, 1)), token));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("ExpiredAuthenticationToken", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Refuses_a_token_for_another_audience_with_401_InvalidAudience()
    {
        var token = await Tokens.MintAsync(_client, Options.LocalAzureOptions.DevClientId, resource: "https://management.azure.com");
        using var response = await _client.SendAsync(IngestionPost(Compress(Series("up", NowMs, 1)), token));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("InvalidAudience", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Refuses_an_identity_without_a_role_on_the_DCR_with_403()
    {
        using var set = await _client.PutAsJsonAsync("/admin/role-assignments", new
        {
            assignments = new[] { new { principalId = Options.LocalAzureOptions.DevClientId, dcr = "dcr-allowed" } },
        });
        Assert.Equal(HttpStatusCode.NoContent, set.StatusCode);
        var token = await Tokens.DevAppTokenAsync(_client);

        using var denied = await _client.SendAsync(IngestionPost(Compress(Series("up", NowMs, 1)), token, dcr: "dcr-other"));
        using var allowed = await _client.SendAsync(IngestionPost(Compress(Series("up", NowMs, 1)), token, dcr: "dcr-allowed"));

        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        var body = await denied.Content.ReadAsStringAsync();
        Assert.Contains("\"OperationFailed\"", body);
        Assert.Contains("immutable Id 'dcr-other'", body);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task Refuses_a_new_identity_with_403_for_the_first_seconds_then_accepts()
    {
        using var set = await _client.PutAsJsonAsync("/admin/role-assignments", new { assignments = Array.Empty<object>(), delaySeconds = 60 });
        var token = await Tokens.DevAppTokenAsync(_client);

        using var early = await _client.SendAsync(IngestionPost(Compress(Series("up", NowMs, 1)), token));
        _time.Advance(TimeSpan.FromSeconds(30));
        using var stillEarly = await _client.SendAsync(IngestionPost(Compress(Series("up", NowMs, 1)), token));
        _time.Advance(TimeSpan.FromSeconds(31));
        using var later = await _client.SendAsync(IngestionPost(Compress(Series("up", NowMs, 1)), token));

        Assert.Equal(HttpStatusCode.Forbidden, early.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, stillEarly.StatusCode);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [Fact]
    public async Task Refuses_a_body_over_1_MiB_with_413_and_Azures_message()
    {
        var token = await Tokens.DevAppTokenAsync(_client);
        var oversize = new byte[1_048_577];
        Random.Shared.NextBytes(oversize);
        using var response = await _client.SendAsync(IngestionPost(oversize, token));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("Maximum allowed content length: 1048576 bytes (1 MB). Provided content length: 1048577 bytes", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Accepts_a_body_of_exactly_the_limit_size_check_passes_then_decodes()
    {
        // 1,048,576 bytes is allowed by size; random bytes are then not snappy: 400, not 413.
        var token = await Tokens.DevAppTokenAsync(_client);
        var atLimit = new byte[1_048_576];
        atLimit[0] = 0x05; // snappy header: decoded length 5, then garbage
        using var response = await _client.SendAsync(IngestionPost(atLimit, token));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3, 4, 5 })]
    [InlineData(new byte[] { 0x03, 0x08, 0xFF, 0xFF })]
    public async Task Refuses_a_body_that_is_not_snappy_protobuf_with_400(byte[] body)
    {
        var token = await Tokens.DevAppTokenAsync(_client);
        using var response = await _client.SendAsync(IngestionPost(body, token));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Refuses_a_snappy_header_that_declares_less_than_the_body_holds_with_400()
    {
        // A 1.0 body whose header claims 0 decoded bytes (an empty WriteRequest) before a whole series.
        var token = await Tokens.DevAppTokenAsync(_client);
        var honest = Compress(Series("up", NowMs, 1));
        var headerLength = Array.FindIndex(honest, b => b < 0x80) + 1;
        using var response = await _client.SendAsync(IngestionPost([0x00, .. honest.AsSpan(headerLength)], token));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Refuses_valid_snappy_around_a_bad_protobuf_with_400()
    {
        var token = await Tokens.DevAppTokenAsync(_client);
        var notProtobuf = Core.Codec.SnappyCodec.EncodeToArray([0x0A, 0x7F, 0x01]);
        using var response = await _client.SendAsync(IngestionPost(notProtobuf, token));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Refuses_a_series_without_a_metric_name_with_400()
    {
        var token = await Tokens.DevAppTokenAsync(_client);
        var series = new Core.Protocol.V1.TimeSeries();
        series.Labels.Add(new Core.Protocol.V1.Label { Name = "job", Value = "x" });
        series.Samples.Add(new Core.Protocol.V1.Sample { Timestamp = NowMs, Value = 1 });
        using var response = await _client.SendAsync(IngestionPost(Compress(series), token));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("application/x-protobuf;proto=io.prometheus.write.v2.Request", "snappy")]
    [InlineData("application/json", "snappy")]
    [InlineData("application/x-protobuf", "gzip")]
    public async Task Refuses_remote_write_2_and_other_encodings_with_415(string contentType, string encoding)
    {
        var token = await Tokens.DevAppTokenAsync(_client);
        using var request = IngestionPost(Compress(Series("up", NowMs, 1)), token);
        request.Content = Content(Compress(Series("up", NowMs, 1)), contentType, encoding);
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Answers_429_with_Retry_After_past_the_requests_per_minute_limit()
    {
        using var set = await _client.PutAsJsonAsync("/admin/limits", new { requestsPerMinute = 2 });
        var token = await Tokens.DevAppTokenAsync(_client);
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 3; i++)
        {
            last?.Dispose();
            last = await _client.SendAsync(IngestionPost(Compress(Series("up", NowMs, 1)), token));
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        var retryAfter = last!.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);

        _time.Advance(TimeSpan.FromSeconds(61));
        using var nextMinute = await _client.SendAsync(IngestionPost(Compress(Series("up", NowMs, 1)), token));
        Assert.Equal(HttpStatusCode.OK, nextMinute.StatusCode);
        last.Dispose();
    }

    [Fact]
    public async Task Answers_429_past_the_samples_per_minute_limit()
    {
        using var set = await _client.PutAsJsonAsync("/admin/limits", new { samplesPerMinute = 3 });
        var token = await Tokens.DevAppTokenAsync(_client);
        var four = Compress(Series("a", NowMs, 1), Series("b", NowMs, 1), Series("c", NowMs, 1), Series("d", NowMs, 1));

        using var first = await _client.SendAsync(IngestionPost(four, token));
        using var second = await _client.SendAsync(IngestionPost(four, token));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.NotNull(second.Headers.RetryAfter);
    }

    [Fact]
    public async Task Accepts_samples_outside_20_minutes_with_200_but_counts_them_as_OldData()
    {
        var token = await Tokens.DevAppTokenAsync(_client);
        var old = NowMs - (21 * 60_000);
        var future = NowMs + (21 * 60_000);
        var edge = NowMs - (19 * 60_000);
        using var response = await _client.SendAsync(IngestionPost(
            Compress(Series("old", old, 1), Series("future", future, 2), Series("edge", edge, 3)), token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stats = await Tokens.StatsAsync(_client);
        Assert.Equal(2, stats.GetProperty("total").GetProperty("droppedOldData").GetInt64());
        Assert.Equal(1, stats.GetProperty("total").GetProperty("samples").GetInt64());
        var series = await _client.GetStringAsync("/admin/series");
        Assert.Contains("edge", series);
        Assert.DoesNotContain("old", series);
        Assert.DoesNotContain("future", series);
    }

    [Fact]
    public async Task Merges_series_that_differ_only_by_case()
    {
        var token = await Tokens.DevAppTokenAsync(_client);
        using var response = await _client.SendAsync(IngestionPost(Compress(
            Series("http_requests_total", NowMs - 1000, 1, ("Method", "GET")),
            Series("HTTP_Requests_Total", NowMs, 7, ("method", "get")),
            Series("http_requests_total", NowMs, 3, ("method", "post"))), token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stats = await Tokens.StatsAsync(_client);
        Assert.Equal(2, stats.GetProperty("series").GetInt32());
        Assert.Equal(3, stats.GetProperty("total").GetProperty("samples").GetInt64());
        var series = await _client.GetStringAsync("/admin/series");
        Assert.Contains("\"value\":7", series); // the newest sample of the merged series
    }

    [Fact]
    public async Task Reset_clears_stats_and_series()
    {
        var token = await Tokens.DevAppTokenAsync(_client);
        using var write = await _client.SendAsync(IngestionPost(Compress(Series("up", NowMs, 1)), token));
        Assert.Equal(1, (await Tokens.StatsAsync(_client)).GetProperty("series").GetInt32());

        using var reset = await _client.PostAsync("/admin/reset", null);

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        var stats = await Tokens.StatsAsync(_client);
        Assert.Equal(0, stats.GetProperty("series").GetInt32());
        Assert.Equal(0, stats.GetProperty("total").GetProperty("requests").GetInt64());
    }

    [Fact]
    public async Task Counts_rejections_by_status()
    {
        using var response = await _client.SendAsync(IngestionPost(Compress(Series("up", NowMs, 1)), token: null));
        var stats = await Tokens.StatsAsync(_client);
        Assert.Equal(1, stats.GetProperty("total").GetProperty("rejected").GetProperty("401").GetInt64());
    }

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
    }
}
