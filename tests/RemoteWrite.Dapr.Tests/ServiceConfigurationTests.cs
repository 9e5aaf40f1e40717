using System.Net.Http.Json;
using System.Text.Json;

namespace RemoteWrite.Dapr.Tests;

/// <summary>
/// The Dapr services' real binaries read the side car's variable names (one shared mapping,
/// Core/Configuration/SideCarEnvironment.cs) and refuse a bad configuration with one line per
/// problem and exit code 1, never a stack trace.
/// </summary>
public sealed class ServiceConfigurationTests
{
    [Theory]
    [InlineData("RemoteWrite.Forwarder", new[] { "INGESTION_URL", "ftp://example", "Forwarder__BulkMaxMessages", "0" }, new[] { "  - INGESTION_URL (AzureMonitor:IngestionUrl) 'ftp://example' is not an absolute http(s) URL.", "  - Forwarder__BulkMaxMessages must be between 1 and 1000 (is 0)." })]
    [InlineData("RemoteWrite.TokenService", new[] { "IDENTITY_TYPE", "userAsigned", "APP_API_TOKEN", "" }, new[] { "  - APP_API_TOKEN must be set", "  - IDENTITY_TYPE 'userAsigned' is not one of userAssigned, systemAssigned, aadApplication, workloadIdentity." })]
    [InlineData("RemoteWrite.Ingress", new[] { "Ingress__MaxMessageBytes", "10", "RemoteWrite__MaxPartBytes", "abc" }, new[] { "  - Ingress__MaxMessageBytes must be at least 1024 (is 10).", "MaxPartBytes" })]
    [InlineData("RemoteWrite.Ingress", new[] { "RELABEL_CONFIG_FILE", "/nonexistent/relabel.yaml" }, new[] { "  - RELABEL_CONFIG_FILE /nonexistent/relabel.yaml: cannot be read" })]
    public async Task Bad_configuration_exits_1_with_one_line_per_problem_and_no_stack_trace(string project, string[] settings, string[] expected)
    {
        var environment = new Dictionary<string, string?> { ["DAPR_HTTP_ENDPOINT"] = "http://127.0.0.1:1", ["DAPR_GRPC_ENDPOINT"] = "http://127.0.0.1:1" };
        for (var i = 0; i < settings.Length; i += 2)
        {
            environment[settings[i]] = settings[i + 1].Length == 0 ? null : settings[i + 1];
        }

        var (exitCode, stdout, error) = await ServiceProcess.RunToExitAsync(project, environment, TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        Assert.Contains("cannot start", error);
        foreach (var line in expected)
        {
            Assert.Contains(line, error);
        }

        Assert.DoesNotContain("   at ", error + stdout);
        Assert.DoesNotContain("Unhandled exception", error);
    }

    [Fact]
    public async Task Token_service_given_the_side_car_names_for_a_user_assigned_identity_uses_that_identity()
    {
        const string UserAssigned = "3f0c1a52-6b8e-4f6e-9d0c-7a1e2b3c4d5e";
        using var azure = await LocalAzureProcess.StartAsync(new Dictionary<string, string?> { ["LocalAzure__ManagedIdentities__0"] = UserAssigned });
        var port = FreePort.Next();
        using var tokenService = new ServiceProcess("RemoteWrite.TokenService", port, new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["APP_API_TOKEN"] = "app-token",
            ["IDENTITY_TYPE"] = "userAssigned",
            ["AZURE_CLIENT_ID"] = UserAssigned,
            ["AZURE_POD_IDENTITY_AUTHORITY_HOST"] = azure.HttpAddress.ToString().TrimEnd('/'),
            ["DAPR_HTTP_ENDPOINT"] = "http://127.0.0.1:1", // no sidecar: /ready fails, the keeper does not need one
            ["DAPR_GRPC_ENDPOINT"] = "http://127.0.0.1:1",
        });
        tokenService.Start();
        await tokenService.WaitUntilAsync("/health", TimeSpan.FromSeconds(60));

        using var http = new HttpClient { BaseAddress = tokenService.Address };
        http.DefaultRequestHeaders.Add("dapr-api-token", "app-token"); // as its daprd would call it
        TokenResponse? answer = null;
        await Poll.AssertAsync(async () =>
        {
            using var response = await http.GetAsync("/" + DaprNames.TokenMethod);
            answer = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<TokenResponse>(JsonSerializerOptions.Web) : null;
            return answer is not null;
        }, TimeSpan.FromSeconds(30), "a token from the token service");

        var byClient = (await azure.StatsAsync()).GetProperty("tokens").GetProperty("byClient");
        Assert.True(byClient.TryGetProperty(UserAssigned, out var issued) && issued.GetInt64() >= 1, byClient.ToString());
        Assert.False(byClient.TryGetProperty("00000000-0000-0000-0000-0000000005a1", out _), "the system-assigned identity must not be used");
    }
}
