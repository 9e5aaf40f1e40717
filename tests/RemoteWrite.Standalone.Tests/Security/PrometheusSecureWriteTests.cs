using RemoteWrite.Standalone.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RemoteWrite.Standalone.Tests.Security;

/// <summary>
/// Debian's Prometheus remote-writing over TLS with a client certificate (<c>tls_config</c>) to the relay
/// process, once with <c>authorization: {credentials_file}</c>, once with <c>basic_auth: {username,
/// password_file}</c>, and once with a wrong token: the first two arrive at the Azure stand-in, the third
/// is answered 401 and dropped by Prometheus.
/// </summary>
[Slow]
[Collection(SerialCollection.Name)]
public sealed class PrometheusSecureWriteTests(ITestOutputHelper output) : IDisposable
{
    private SecureRelayRig? _rig;
    private PrometheusProcess? _prometheus;

    [PrometheusFact]
    public async Task Prometheus_authorization_basic_auth_and_tls_config_deliver_and_a_wrong_token_is_refused()
    {
        var token = "tok-" + Guid.NewGuid().ToString("N");
        var password = "pw-" + Guid.NewGuid().ToString("N");
        _rig = await SecureRelayRig.StartAsync(token, password);
        var rig = _rig;
        var credentialsFile = rig.Pki.Write("prometheus-token", token);
        var passwordFile = rig.Pki.Write("prometheus-password", password);
        var tls = $"""
                tls_config:
                  ca_file: '{rig.Pki.CaFile}'
                  cert_file: '{rig.Pki.ClientCertFile}'
                  key_file: '{rig.Pki.ClientKeyFile}'
                queue_config:
                  batch_send_deadline: 1s
                  min_backoff: 100ms
                  max_backoff: 2s
            """;

        _prometheus = new PrometheusProcess();
        _prometheus.Start($"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: self
                static_configs:
                  - targets: ['127.0.0.1:{_prometheus.Port}']
            remote_write:
              - name: bearer
                url: '{rig.WriteUrl}'
                authorization:
                  credentials_file: '{credentialsFile}'
            {tls}
              - name: basic
                url: '{rig.WriteUrl}'
                basic_auth:
                  username: prometheus
                  password_file: '{passwordFile}'
            {tls}
              - name: wrong
                url: '{rig.WriteUrl}'
                authorization:
                  credentials: wrong-token
            {tls}
            """);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        string Logs() => $"{rig.Logs}\n--- prometheus\n{_prometheus.OutputTail}";

        // Both good queues deliver (Prometheus counts what it sent per queue) and the stand-in stores it.
        var delivered = await Poll.UntilAsync(async () =>
        {
            if (_prometheus.HasExited)
            {
                throw new InvalidOperationException("prometheus exited:\n" + _prometheus.Output);
            }

            string text;
            try
            {
                text = await _prometheus.MetricsAsync(http);
            }
            catch (HttpRequestException)
            {
                text = ""; // not listening yet
            }

            return (Bearer: Delivered(text, "bearer"), Basic: Delivered(text, "basic"), Wrong: PrometheusText.Sum(text, "prometheus_remote_storage_samples_failed_total", "remote_name=\"wrong\""));
        }, d => d.Bearer > 0 && d.Basic > 0 && d.Wrong > 0, TimeSpan.FromSeconds(90));
        output.WriteLine($"delivered bearer={delivered.Bearer} basic={delivered.Basic}; failed wrong={delivered.Wrong}");
        Assert.True(delivered.Bearer > 0, "the bearer queue delivered nothing\n" + Logs());
        Assert.True(delivered.Basic > 0, "the basic-auth queue delivered nothing\n" + Logs());
        Assert.True(delivered.Wrong > 0, "the wrong token's samples were not dropped\n" + Logs());

        var stored = await Poll.UntilAsync(() => rig.Stand.StoredSamplesAsync(SecureRelayRig.Dcr), n => n >= delivered.Bearer + delivered.Basic, TimeSpan.FromSeconds(30));
        Assert.True(stored >= delivered.Bearer + delivered.Basic, $"stand-in stored {stored} < delivered {delivered.Bearer + delivered.Basic}\n{Logs()}");

        var metrics = await rig.HttpWithoutCertificate.GetStringAsync(new Uri(rig.Address, "/metrics"));
        Assert.True(PrometheusText.Sum(metrics, "remotewrite_receiver_unauthorized_total", "reason=\"invalid\"") > 0, metrics);
        Assert.Equal(0, PrometheusText.Sum(metrics, "remotewrite_receiver_unauthorized_total", "reason=\"client_certificate\""));
        Assert.Contains("401", _prometheus.Output);
        Assert.DoesNotContain(token, rig.Relay!.Output);
        Assert.DoesNotContain(password, rig.Relay!.Output);
        Assert.DoesNotContain(token, metrics);
    }

    // Prometheus 2.42 adds every attempt to samples_total and each re-send to retried_total.
    private static double Delivered(string text, string queue)
    {
        var label = $"remote_name=\"{queue}\"";
        return PrometheusText.Sum(text, "prometheus_remote_storage_samples_total", label)
            - PrometheusText.Sum(text, "prometheus_remote_storage_samples_retried_total", label)
            - PrometheusText.Sum(text, "prometheus_remote_storage_samples_failed_total", label);
    }

    public void Dispose()
    {
        _prometheus?.Dispose();
        _rig?.Dispose();
    }
}
