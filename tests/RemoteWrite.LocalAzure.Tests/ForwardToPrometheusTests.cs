using System.Net;
using System.Text.Json;
using RemoteWrite.LocalAzure.Tests.Infrastructure;

namespace RemoteWrite.LocalAzure.Tests;

/// <summary>
/// With <c>ForwardUrl</c> set, what the stand-in accepts is copied to a real Prometheus remote-write
/// receiver (Debian's 2.42 with <c>--web.enable-remote-write-receiver</c>), so PromQL sees it as it
/// would in Azure's Prometheus explorer.
/// </summary>
[Slow]
public sealed class ForwardToPrometheusTests : IDisposable
{
    private readonly PrometheusProcess _receiver = new();
    private LocalAzureFactory? _stand;

    [PrometheusFact]
    public async Task Accepted_samples_are_queryable_in_the_receiving_prometheus()
    {
        _receiver.Start("global:\n  scrape_interval: 1h\n", "--web.enable-remote-write-receiver");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await Poll.AssertAsync(async () => (await TryGetAsync(http, new Uri(_receiver.Address, "/-/ready"))) == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "the receiving Prometheus to be ready");

        _stand = new LocalAzureFactory(new Dictionary<string, string?> { ["LocalAzure:ForwardUrl"] = new Uri(_receiver.Address, "/api/v1/write").ToString() });
        using var client = _stand.CreateClient();
        var token = await Tokens.DevAppTokenAsync(client);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using (var response = await client.SendAsync(RemoteWriteBodies.IngestionPost(RemoteWriteBodies.Compress(RemoteWriteBodies.Series("forwarded_metric", now, 42.5, ("job", "forward-test"))), token)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var query = new Uri(_receiver.Address, "/api/v1/query?query=forwarded_metric%7Bjob%3D%22forward-test%22%7D");
        string? value = null;
        await Poll.AssertAsync(async () => (value = await QueryValueAsync(http, query)) is not null, TimeSpan.FromSeconds(60), "forwarded_metric in the receiving Prometheus");
        Assert.Equal("42.5", value);
    }

    private static async Task<HttpStatusCode?> TryGetAsync(HttpClient http, Uri uri)
    {
        try
        {
            using var response = await http.GetAsync(uri);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    // The instant vector's first value, or null while there is none.
    private static async Task<string?> QueryValueAsync(HttpClient http, Uri query)
    {
        using var document = JsonDocument.Parse(await http.GetStringAsync(query));
        var result = document.RootElement.GetProperty("data").GetProperty("result");
        return result.GetArrayLength() == 0 ? null : result[0].GetProperty("value")[1].GetString();
    }

    public void Dispose()
    {
        _stand?.Dispose();
        _receiver.Dispose();
    }
}
