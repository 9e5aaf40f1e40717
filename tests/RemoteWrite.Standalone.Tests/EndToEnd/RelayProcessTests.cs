using System.Net;
using Google.Protobuf;
using RemoteWrite.Core.Codec;
using RemoteWrite.Standalone.Tests.Infrastructure;
using V2 = RemoteWrite.Core.Protocol.V2;

namespace RemoteWrite.Standalone.Tests.EndToEnd;

/// <summary>The relay process against the stand-in process, with real Azure.Identity credentials, no Prometheus.</summary>
[Slow]
public sealed class RelayProcessTests : IDisposable
{
    private const string Dcr = "dcr-relay-process";
    private LocalAzureProcess? _stand;
    private RelayChild? _relay;

    [Fact]
    public async Task A_remote_write_2_0_sender_gets_the_written_headers_and_the_stand_in_stores_its_samples()
    {
        _stand = await LocalAzureProcess.StartAsync();
        _relay = await RelayChild.StartAgainstAsync(_stand, Dcr);
        var body = V2Request(series: 7, samplesPerSeries: 3);

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_relay.Address, "/api/v1/write"))
        {
            Content = RemoteWriteBodies.Content(SnappyCodec.EncodeToArray(body.ToByteArray()), RemoteWriteHeaders.V2ContentType),
        };
        request.Headers.Add(RemoteWriteHeaders.VersionHeader, RemoteWriteHeaders.V2Version);
        using var response = await _relay.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("21", Header(response, RemoteWriteHeaders.SamplesWritten));
        Assert.Equal("0", Header(response, RemoteWriteHeaders.HistogramsWritten));
        Assert.Equal("0", Header(response, RemoteWriteHeaders.ExemplarsWritten));
        Assert.Equal(21, await _stand.StoredSamplesAsync(Dcr));
        var series = await _stand.Admin.GetStringAsync(new Uri(_stand.HttpAddress, "/admin/series"));
        Assert.Contains("rw2_metric", series);
        Assert.Contains("pod-6", series);
    }

    [Fact]
    public async Task Trace_logging_gives_debug_logs_and_neither_logs_nor_metrics_hold_the_secret_or_a_token()
    {
        const string clientId = "5d1e0c2a-0000-4000-8000-0000000053c7";
        var secret = "s3cr3t-" + Guid.NewGuid().ToString("N");
        _stand = await LocalAzureProcess.StartAsync();
        await _stand.RegisterAppAsync(clientId, secret: secret);
        _relay = await RelayChild.StartAsync(new Dictionary<string, string?>
        {
            ["INGESTION_URL"] = _stand.IngestionUrl(Dcr),
            ["IDENTITY_TYPE"] = "aadApplication",
            ["AZURE_CLIENT_ID"] = clientId,
            ["AZURE_TENANT_ID"] = "00000000-0000-0000-0000-00000000a2e0",
            ["AZURE_CLIENT_SECRET"] = secret,
            ["AZURE_AUTHORITY_HOST"] = _stand.HttpsAddress.ToString(),
            ["SSL_CERT_FILE"] = _stand.CaBundlePath,
            ["TRACE_LOGGING"] = "true",
        });

        using (var accepted = await _relay.WriteAsync(RemoteWriteBodies.Compress(RemoteWriteBodies.Request(series: 5))))
        {
            Assert.Equal(HttpStatusCode.NoContent, accepted.StatusCode);
        }

        // A refused token takes the invalidation path too (logged, at Debug for a young token).
        await _stand.SetFaultAsync("""{"status":401,"requests":1}""");
        using (await _relay.WriteAsync(RemoteWriteBodies.Compress(RemoteWriteBodies.Request(series: 5))))
        {
        }

        Assert.True(await _stand.TokensIssuedAsync("secret") > 0);
        var metrics = await _relay.Http.GetStringAsync(new Uri(_relay.Address, "/metrics"));
        var log = await Poll.UntilAsync(() => Task.FromResult(_relay.Process.OutputTail), l => l.Contains("refused", StringComparison.Ordinal), TimeSpan.FromSeconds(20));

        Assert.Contains("dbug: ", log);
        Assert.Contains("remotewrite_sender_samples", metrics);
        foreach (var text in new[] { log, metrics })
        {
            Assert.DoesNotContain(secret, text);

            // Every Entra token and client assertion is a JWT, whose header starts {" = "eyJ" in base64url.
            Assert.DoesNotContain("eyJ", text);
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    private static V2.Request V2Request(int series, int samplesPerSeries)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var request = new V2.Request { Symbols = { "", "__name__", "rw2_metric", "pod" } };
        for (var i = 0; i < series; i++)
        {
            request.Symbols.Add($"pod-{i}");
            var ts = new V2.TimeSeries { LabelsRefs = { 1, 2, 3, (uint)request.Symbols.Count - 1 } };
            for (var s = 0; s < samplesPerSeries; s++)
            {
                ts.Samples.Add(new V2.Sample { Timestamp = now - ((samplesPerSeries - s) * 1000), Value = i + s });
            }

            request.Timeseries.Add(ts);
        }

        return request;
    }

    public void Dispose()
    {
        _relay?.Dispose();
        _stand?.Dispose();
    }
}
