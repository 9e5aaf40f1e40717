using System.Net;
using System.Net.Http.Headers;
using RemoteWrite.Dapr.Tests.Infrastructure;
using RemoteWrite.DaprSidecar;

namespace RemoteWrite.Dapr.Tests;

/// <summary>
/// The ingress reads its write credentials from the Dapr secret store (<c>Ingress__WriteAuthSecret</c>,
/// keys <c>bearer-tokens</c> / <c>basic-auth</c>) through its sidecar, and again when the secret changes.
/// </summary>
public sealed class IngressWriteAuthTests : IAsyncLifetime
{
    private const string SecretName = "remotewrite-write-auth";
    private readonly InMemoryBroker _broker = new(DaprNames.PubSub);
    private readonly Dictionary<string, string> _secret = new() { ["bearer-tokens"] = "# prometheus\ntok-" + Guid.NewGuid().ToString("N") };
    private DaprSidecarStandIn? _sidecar;
    private ServiceProcess? _ingress;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        var port = FreePort.Next();
        _sidecar = await DaprSidecarStandIn.StartAsync(new SidecarOptions
        {
            AppId = DaprNames.IngressAppId,
            AppAddress = new Uri($"http://127.0.0.1:{port}"),
            DaprApiToken = DaprStack.Secret(),
            SecretStores = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>>
            {
                [DaprNames.SecretStore] = new Dictionary<string, IReadOnlyDictionary<string, string>> { [SecretName] = _secret },
            },
        }, new DaprNetwork(_broker));
        _ingress = DaprStack.DaprApp("RemoteWrite.Ingress", port, DaprStack.With(_sidecar.AppEnvironment, new Dictionary<string, string>
        {
            ["Ingress__WriteAuthSecret"] = SecretName,
            ["ListenerSecurity__FileCheckInterval"] = "00:00:01",
        }));
        _ingress.Start();
        await _ingress.WaitUntilAsync("/ready", TimeSpan.FromSeconds(60));
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

    public async Task DisposeAsync()
    {
        _ingress?.Dispose();
        if (_sidecar is not null)
        {
            await _sidecar.DisposeAsync();
        }

        _http.Dispose();
    }
}
