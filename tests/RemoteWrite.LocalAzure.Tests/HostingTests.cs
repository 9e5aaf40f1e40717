using System.Net;
using Microsoft.Extensions.Options;
using RemoteWrite.LocalAzure.Options;
using RemoteWrite.LocalAzure.Tests.Infrastructure;

namespace RemoteWrite.LocalAzure.Tests;

public sealed class HostingTests
{
    [Theory]
    [InlineData("/health")]
    [InlineData("/ready")]
    [InlineData("/metrics")]
    public async Task Default_endpoints_answer(string path)
    {
        using var factory = new LocalAzureFactory();
        using var client = factory.CreateClient();
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void Bad_configuration_stops_the_start_with_every_error()
    {
        using var factory = new LocalAzureFactory(new Dictionary<string, string?>
        {
            ["LocalAzure:HttpPort"] = "70000",
            ["LocalAzure:MaxContentLength"] = "0",
            ["LocalAzure:Apps:0:ClientId"] = "no-credential-app",
        });

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());
        Assert.Contains(error.Failures, f => f.Contains("HttpPort"));
        Assert.Contains(error.Failures, f => f.Contains("MaxContentLength"));
        Assert.Contains(error.Failures, f => f.Contains("no credential"));
    }

    [Fact]
    public async Task Configured_apps_and_FORWARD_URL_alias_are_bound()
    {
        using var factory = new LocalAzureFactory(new Dictionary<string, string?>
        {
            ["LocalAzure:Apps:0:ClientId"] = "configured-app",
            ["LocalAzure:Apps:0:ClientSecret"] = "configured-secret",
            ["FORWARD_URL"] = "http://127.0.0.1:9/api/v1/write",
        });
        using var client = factory.CreateClient();
        using var response = await client.PostAsync("/t/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "configured-app",
            ["client_secret"] = "configured-secret",
            ["scope"] = "https://monitor.azure.us/.default",
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var options = (IOptions<LocalAzureOptions>)factory.Services.GetService(typeof(IOptions<LocalAzureOptions>))!;
        Assert.Equal("http://127.0.0.1:9/api/v1/write", options.Value.ForwardUrl);
    }

    [Fact]
    public async Task A_scope_without_default_suffix_is_refused_with_AADSTS1002012()
    {
        using var factory = new LocalAzureFactory();
        using var client = factory.CreateClient();
        using var response = await client.PostAsync("/t/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = LocalAzureOptions.DevClientId,
            ["client_secret"] = LocalAzureOptions.DevClientSecret,
            ["scope"] = "https://monitor.azure.com",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("AADSTS1002012", await response.Content.ReadAsStringAsync());
    }
}
