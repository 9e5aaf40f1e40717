using System.Net;
using System.Net.Http.Headers;
using RemoteWrite.Dapr.Tests.Infrastructure;
using RemoteWrite.DaprSidecar;

namespace RemoteWrite.Dapr.Tests;

/// <summary>
/// The ingress reads its write credentials from the Dapr secret store (<c>Ingress__WriteAuthSecret</c>,
/// keys <c>bearer-tokens</c> / <c>basic-auth</c>) through its sidecar, and again when the secret changes.
/// </summary>
[Slow]
public sealed class IngressWriteAuthTests : IAsyncLifetime
{
    private const string SecretName = "remotewrite-write-auth";
    private readonly InMemoryBroker _broker = new(DaprNames.PubSub);
    private readonly Dictionary<string, string> _secret = new() { ["bearer-tokens"] = "# prometheus\ntok-" + Guid.NewGuid().ToString("N") };
    private LoneIngress? _lone;
    private ServiceProcess? _ingress;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public Task InitializeAsync() => Task.CompletedTask;

    private async Task StartAsync(Dictionary<string, string> settings, Func<ServiceProcess, Task>? waitReady = null)
    {
        _lone = await LoneIngress.StartAsync(
            _broker,
            settings,
            new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>>
            {
                [DaprNames.SecretStore] = new Dictionary<string, IReadOnlyDictionary<string, string>> { [SecretName] = _secret },
            },
            waitReady: waitReady);
        _ingress = _lone.Process;
    }

    private async Task<HttpStatusCode> WriteAsync(string? token)
    {
        using var request = RemoteWriteBodies.Post(new Uri(_ingress!.Address, "/api/v1/write"), RemoteWriteBodies.Compress(RemoteWriteBodies.Request(series: 2)));
        request.Headers.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            Assert.Equal("Bearer realm=\"remote-write\"", response.Headers.WwwAuthenticate.ToString());
        }

        return response.StatusCode;
    }

    [Fact]
    public async Task Writes_need_a_token_of_the_secret_and_a_rotated_secret_is_read_again()
    {
        await StartAsync(new() { ["Ingress__WriteAuthSecret"] = SecretName, ["ListenerSecurity__FileCheckInterval"] = "00:00:01" });
        var token = _secret["bearer-tokens"].Split('\n')[1];

        Assert.Equal(HttpStatusCode.Unauthorized, await WriteAsync(null));
        Assert.Equal(HttpStatusCode.Unauthorized, await WriteAsync("wrong"));
        Assert.Equal(HttpStatusCode.NoContent, await WriteAsync(token));
        Assert.Equal(1, _broker.Published);

        var rotated = "tok-" + Guid.NewGuid().ToString("N");
        _secret["bearer-tokens"] = rotated;
        Assert.Equal(HttpStatusCode.NoContent, await Poll.UntilAsync(() => WriteAsync(rotated), s => s == HttpStatusCode.NoContent, TimeSpan.FromSeconds(20)));
        Assert.Equal(HttpStatusCode.Unauthorized, await WriteAsync(token));

        var metrics = await _http.GetStringAsync(new Uri(_ingress!.Address, "/metrics"));
        Assert.True(PrometheusText.Sum(metrics, "remotewrite_receiver_unauthorized_total", "reason=\"invalid\"") >= 2, metrics);
        foreach (var text in new[] { metrics, _ingress.Output })
        {
            Assert.DoesNotContain(token, text);
            Assert.DoesNotContain(rotated, text);
        }

        Assert.Contains("Write credentials reloaded from secret 'remotewrite-write-auth'", _ingress.Output);
    }

    [Fact]
    public async Task With_a_certificate_the_port_daprd_runs_it_on_speaks_HTTPS_only()
    {
        using var pki = new TestPki("ingress");
        using var https = pki.Client(null);
        await StartAsync(new() { ["TLS_CERT_FILE"] = pki.ServerCertFile, ["TLS_KEY_FILE"] = pki.ServerKeyFile }, async ingress =>
            Assert.True(await Poll.UntilAsync(async () =>
            {
                try
                {
                    using var ready = await https.GetAsync(new Uri($"https://127.0.0.1:{ingress.Port}/ready"));
                    return ready.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    Assert.False(ingress.HasExited, ingress.Output);
                    return false;
                }
            }, TimeSpan.FromSeconds(60)), ingress.Output));

        // ASPNETCORE_URLS says http://, as daprd's app port does: the certificate makes it HTTPS.
        using var request = RemoteWriteBodies.Post(new Uri($"https://127.0.0.1:{_ingress!.Port}/api/v1/write"), RemoteWriteBodies.Compress(RemoteWriteBodies.Request(series: 2)));
        using var response = await https.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await Assert.ThrowsAsync<HttpRequestException>(() => _http.GetAsync(new Uri(_ingress.Address, "/health")));
        Assert.Contains("Now listening on: https://127.0.0.1:", _ingress.Output);
    }

    public async Task DisposeAsync()
    {
        if (_lone is not null)
        {
            await _lone.DisposeAsync();
        }

        _http.Dispose();
    }
}
