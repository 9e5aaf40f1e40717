using System.Net;
using System.Net.Http.Headers;
using System.Text;
using RemoteWrite.Standalone.Tests.Infrastructure;

namespace RemoteWrite.Standalone.Tests.Security;

/// <summary>The built relay as a process with TLS, client certificates and write authentication; real sockets, real handshakes.</summary>
[Slow]
public sealed class SecureRelayProcessTests : IDisposable
{
    private static readonly byte[] Body = RemoteWriteBodies.Compress(RemoteWriteBodies.Request(series: 4));
    private readonly string _token = "tok-" + Guid.NewGuid().ToString("N");
    private readonly string _password = "pw-" + Guid.NewGuid().ToString("N");
    private SecureRelayRig? _rig;

    private HttpRequestMessage Post(AuthenticationHeaderValue? authorization)
    {
        var request = RemoteWriteBodies.Post(_rig!.WriteUrl, Body);
        request.Headers.Authorization = authorization;
        return request;
    }

    [Fact]
    public async Task Over_TLS_a_client_certificate_and_a_credential_are_both_needed_and_the_files_are_re_read()
    {
        _rig = await SecureRelayRig.StartAsync(_token, _password);
        var rig = _rig;

        using (var noCertificate = await rig.HttpWithoutCertificate.SendAsync(Post(new AuthenticationHeaderValue("Bearer", _token))))
        {
            Assert.Equal(HttpStatusCode.Forbidden, noCertificate.StatusCode);
        }

        using (var noCredential = await rig.Http.SendAsync(Post(null)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, noCredential.StatusCode);
            Assert.Equal(2, noCredential.Headers.WwwAuthenticate.Count);
        }

        using (var bearer = await rig.Http.SendAsync(Post(new AuthenticationHeaderValue("Bearer", _token))))
        {
            Assert.Equal(HttpStatusCode.NoContent, bearer.StatusCode);
        }

        using (var basic = await rig.Http.SendAsync(Post(new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("prometheus:" + _password))))))
        {
            Assert.Equal(HttpStatusCode.NoContent, basic.StatusCode);
        }

        Assert.Equal(8, await rig.Stand.StoredSamplesAsync(SecureRelayRig.Dcr));

        // A client certificate from another CA fails the handshake; plain HTTP gets no answer.
        using (var strangers = new TestPki("stranger"))
        using (var strangerCertificate = strangers.ClientCertificate())
        using (var stranger = rig.Pki.Client(strangerCertificate))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => stranger.SendAsync(Post(new AuthenticationHeaderValue("Bearer", _token))));
        }

        using (var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            await Assert.ThrowsAnyAsync<Exception>(async () => (await plain.SendAsync(RemoteWriteBodies.Post(new Uri($"http://127.0.0.1:{rig.Relay!.Port}/api/v1/write"), Body))).EnsureSuccessStatusCode());
        }

        // Token rotation through the file: the new token works within seconds, the old one stops.
        var rotated = "tok-" + Guid.NewGuid().ToString("N");
        rig.Pki.WriteAtomically("tokens", rotated);
        Assert.True(await Poll.UntilAsync(async () =>
        {
            using var response = await rig.Http.SendAsync(Post(new AuthenticationHeaderValue("Bearer", rotated)));
            return response.StatusCode;
        }, s => s == HttpStatusCode.NoContent, TimeSpan.FromSeconds(20)) == HttpStatusCode.NoContent, "the rotated token was never accepted\n" + rig.Logs);
        using (var old = await rig.Http.SendAsync(Post(new AuthenticationHeaderValue("Bearer", _token))))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        }

        // Certificate renewal: the relay presents the new certificate without a restart.
        var before = await rig.PresentedCertificateAsync();
        var (renewedCert, renewedKey) = rig.Pki.Issue("renewed", "CN=localhost", serverAuth: true);
        rig.Pki.WriteAtomically("server-key.pem", File.ReadAllText(renewedKey).TrimEnd());
        rig.Pki.WriteAtomically("server.pem", File.ReadAllText(renewedCert).TrimEnd());
        var after = await Poll.UntilAsync(rig.PresentedCertificateAsync, c => c.SerialNumber != before.SerialNumber, TimeSpan.FromSeconds(20));
        Assert.NotEqual(before.SerialNumber, after.SerialNumber);
        using (var renewed = await rig.Http.SendAsync(Post(new AuthenticationHeaderValue("Bearer", rotated))))
        {
            Assert.Equal(HttpStatusCode.NoContent, renewed.StatusCode);
        }

        // Nothing secret in the logs (at Debug) or /metrics.
        var metrics = await rig.HttpWithoutCertificate.GetStringAsync(new Uri(rig.Address, "/metrics"));
        Assert.Contains("remotewrite_receiver_unauthorized_total", metrics);
        foreach (var text in new[] { rig.Relay!.Output, metrics })
        {
            Assert.DoesNotContain(_token, text);
            Assert.DoesNotContain(rotated, text);
            Assert.DoesNotContain(_password, text);
        }
    }

    [Theory]
    [InlineData("TLS_CERT_FILE", "TLS_CERT_FILE and TLS_KEY_FILE must be set together")]
    [InlineData("WRITE_BEARER_TOKENS_FILE", "WRITE_BEARER_TOKENS_FILE: Could not find")]
    [InlineData("Receiver__RetryStatusCode", "Receiver")] // Kestrel's limits read these options too, before the check
    public async Task An_unusable_setting_exits_1_with_one_line(string variable, string expected)
    {
        var (exitCode, _, stderr) = await ServiceProcess.RunToExitAsync("RemoteWrite.Standalone", new Dictionary<string, string?>
        {
            ["INGESTION_URL"] = "https://dce.westeurope-1.metrics.ingest.monitor.azure.com/dataCollectionRules/dcr-1/streams/Microsoft-PrometheusMetrics/api/v1/write?api-version=2023-04-24",
            ["LISTENING_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            [variable] = "/nonexistent/" + variable.ToLowerInvariant(),
        }, TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        Assert.Contains(expected, stderr);
    }

    public void Dispose() => _rig?.Dispose();
}
