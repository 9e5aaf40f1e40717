using System.Net;
using Azure.Core;
using RemoteWrite.Forwarder;
using RemoteWrite.Forwarder.Delivering;

namespace RemoteWrite.Dapr.Tests.Forwarder;

/// <summary>The token client over the SDK's real service invocation (<c>/v1.0/invoke/{app}/method/token</c>), daprd's answers faked.</summary>
public sealed class DaprTokenClientTests : IDisposable
{
    private readonly ForwarderHarness _h = new(new Dictionary<string, string?> { ["Forwarder:TokenRefreshBeforeExpiry"] = "00:05:00" });

    [Fact]
    public async Task Fetches_through_the_sidecar_with_the_api_token_and_caches_until_shortly_before_expiry()
    {
        _h.AnswerTokens("token-1", TimeSpan.FromMinutes(60));

        var first = await _h.Tokens.GetTokenAsync(CancellationToken.None);
        _h.Time.Advance(TimeSpan.FromMinutes(54));
        var cached = await _h.Tokens.GetTokenAsync(CancellationToken.None);

        var call = Assert.Single(_h.Sidecar.Requests);
        Assert.Equal(HttpMethod.Get, call.Method);
        Assert.Equal($"/v1.0/invoke/{DaprNames.TokenServiceAppId}/method/{DaprNames.TokenMethod}", call.Uri.AbsolutePath);
        Assert.Equal(ForwarderHarness.DaprApiToken, call.DaprApiToken);
        Assert.Equal("token-1", first?.Token);
        Assert.Equal(first, cached);

        _h.AnswerTokens("token-2");
        _h.Time.Advance(TimeSpan.FromMinutes(2)); // now inside the 5 minutes before expiry
        Assert.Equal("token-2", (await _h.Tokens.GetTokenAsync(CancellationToken.None))?.Token);
        Assert.Equal(2, _h.Sidecar.Requests.Count);
    }

    [Fact]
    public async Task A_token_azure_refused_is_forgotten_and_replaced_at_the_token_service_by_its_hash()
    {
        _h.AnswerTokens("token-1");
        var first = (await _h.Tokens.GetTokenAsync(CancellationToken.None))!.Value;

        _h.Tokens.Invalidate(new AccessToken("some-other-token", first.ExpiresOn));
        Assert.True(_h.Tokens.HasToken);

        _h.AnswerTokens("token-2");
        _h.Tokens.Invalidate(first);
        Assert.False(_h.Tokens.HasToken);
        Assert.Equal("token-2", (await _h.Tokens.GetTokenAsync(CancellationToken.None))?.Token);

        var refresh = _h.Sidecar.Requests.ElementAt(1);
        var body = System.Text.Encoding.UTF8.GetString(refresh.Body);
        Assert.Equal(HttpMethod.Post, refresh.Method);
        Assert.Equal($"/v1.0/invoke/{DaprNames.TokenServiceAppId}/method/{DaprNames.TokenRefreshMethod}", refresh.Uri.AbsolutePath);
        Assert.Contains(TokenRefreshRequest.Hash("token-1"), body);
        Assert.DoesNotContain("token-1", body);

        // The next fetch is a plain one again.
        _h.Time.Advance(TimeSpan.FromMinutes(58));
        _ = await _h.Tokens.GetTokenAsync(CancellationToken.None);
        Assert.Equal(HttpMethod.Get, _h.Sidecar.Requests.ElementAt(2).Method);
    }

    [Fact]
    public async Task Azure_401_makes_the_sink_invalidate_and_use_a_fresh_token()
    {
        var tokens = 0;
        _h.Sidecar.Respond = _ => ForwarderHarness.TokenAnswer($"token-{++tokens}", _h.Time.GetUtcNow().AddHours(1));
        _h.Azure.Respond = r => new HttpResponseMessage(r.Bearer == "token-1" ? HttpStatusCode.Unauthorized : HttpStatusCode.NoContent);

        var statuses = await _h.Forwarder.ForwardAsync([new Delivery("e", RemoteWriteBodies.Batch("refresh", 0, 3, 1, _h.Time.GetUtcNow()))], CancellationToken.None);

        Assert.Equal([DeliveryStatus.Success], statuses);
        Assert.Equal(["token-1", "token-2"], _h.Azure.Requests.Select(r => r.Bearer));
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)] // ERR_DIRECT_INVOKE: the app is down
    [InlineData(HttpStatusCode.Forbidden)] // access control
    [InlineData(HttpStatusCode.ServiceUnavailable)] // the token service has no token yet
    public async Task Token_service_unavailable_means_no_token_and_a_reason(HttpStatusCode status)
    {
        _h.Sidecar.Respond = _ => new HttpResponseMessage(status) { Content = new StringContent("{}") };

        Assert.Null(await _h.Tokens.GetTokenAsync(CancellationToken.None));
        Assert.False(_h.Tokens.HasToken);
        Assert.Contains(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), _h.Tokens.LastError);
    }

    [Fact]
    public async Task Sidecar_unreachable_means_no_token()
    {
        _h.Sidecar.Respond = _ => throw new HttpRequestException("connection refused");

        Assert.Null(await _h.Tokens.GetTokenAsync(CancellationToken.None));
        Assert.NotNull(_h.Tokens.LastError);
    }

    [Fact]
    public async Task An_expired_answer_is_not_a_token()
    {
        _h.Sidecar.Respond = _ => ForwarderHarness.TokenAnswer("stale", _h.Time.GetUtcNow().AddMinutes(-1));

        Assert.Null(await _h.Tokens.GetTokenAsync(CancellationToken.None));
    }

    public void Dispose() => _h.Dispose();
}
