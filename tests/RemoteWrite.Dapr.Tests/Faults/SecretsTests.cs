using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using RemoteWrite.Dapr.Tests.Infrastructure;
using RemoteWrite.DaprSidecar;
using Xunit.Abstractions;

namespace RemoteWrite.Dapr.Tests.Faults;

/// <summary>
/// Issue 10's secrets check across the Dapr set: every service runs with known, distinctive secret values (the token
/// service's client secret from its secret store, the Dapr and app API tokens, the ingress' write bearer token, and
/// the access tokens Entra issues) through normal work, failures and debug logging; none may appear in any
/// service's output, <c>/metrics</c>, <c>/health</c>, <c>/ready</c> or an error body.
/// </summary>
[Slow]
public sealed class SecretsTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("dapr-secrets-").FullName;

    [RedisFact]
    public async Task No_secret_appears_in_logs_metrics_status_pages_or_error_bodies()
    {
        var clientId = Guid.NewGuid().ToString();
        var clientSecret = "cs-" + DaprStack.Secret();
        var writeToken = "wt-" + DaprStack.Secret();
        var secretsFile = Path.Combine(_work, "secrets.json");
        await File.WriteAllTextAsync(secretsFile, JsonSerializer.Serialize(new Dictionary<string, string> { [DaprNames.ClientSecretKey] = clientSecret }));
        var tokensFile = Path.Combine(_work, "write-tokens");
        await File.WriteAllTextAsync(tokensFile, $"# prometheus\n{writeToken}\n");

        await using var stack = await DaprStack.StartAsync(new DaprStackOptions
        {
            SecretsFile = secretsFile,
            ClientId = clientId,
            ClientSecret = clientSecret,
            AllServicesEnvironment = new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Debug", ["TRACE_LOGGING"] = "true" },
            IngressEnvironment = new Dictionary<string, string> { ["WRITE_BEARER_TOKENS_FILE"] = tokensFile },
        });
        var services = new[] { stack.Ingress, stack.Forwarder, stack.TokenService };
        var errorBodies = new List<string>();
        var run = Guid.NewGuid().ToString("N");
        var batch = 0;
        var stored0 = (await stack.AzureStatsAsync()).Samples;
        var expected = 0L;

        async Task<HttpStatusCode> WriteAsync(string? token)
        {
            using var request = RemoteWriteBodies.Post(stack.IngressWriteUrl, RemoteWriteBodies.Batch(run, batch++, 5, 2));
            request.Headers.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);
            using var response = await stack.Http.SendAsync(request);
            if (!response.IsSuccessStatusCode)
            {
                errorBodies.Add(await response.Content.ReadAsStringAsync());
            }
            else
            {
                expected += 10;
            }

            return response.StatusCode;
        }

        async Task ArrivedAsync() => await Poll.AssertAsync(async () => (await stack.AzureStatsAsync()).Samples - stored0 >= expected, TimeSpan.FromSeconds(90), $"{expected} samples at the stand-in");

        // Normal work.
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.NoContent, await WriteAsync(writeToken));
        }

        await ArrivedAsync();

        // Failures: writes without or with a wrong token; the token service called straight and with a wrong app token.
        Assert.Equal(HttpStatusCode.Unauthorized, await WriteAsync(null));
        Assert.Equal(HttpStatusCode.Unauthorized, await WriteAsync("wrong-" + DaprStack.Secret()));
        foreach (var appToken in new[] { null, "wrong-app-token" })
        {
            using var direct = new HttpRequestMessage(HttpMethod.Get, new Uri(stack.TokenService.Address, "/" + DaprNames.TokenMethod));
            if (appToken is not null)
            {
                direct.Headers.Add("dapr-api-token", appToken);
            }

            using var refused = await stack.Http.SendAsync(direct);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            errorBodies.Add(await refused.Content.ReadAsStringAsync());
        }

        // Azure refuses the token (401 twice): the token service fetches new ones with the client secret.
        var issued = await stack.LocalAzure.TokensIssuedAsync("secret");
        await stack.LocalAzure.SetFaultAsync("""{"status":401,"requests":2,"target":"ingestion"}""");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.NoContent, await WriteAsync(writeToken));
        }

        await ArrivedAsync();
        Assert.True(await stack.LocalAzure.TokensIssuedAsync("secret") > issued, "a new token was fetched after the 401");

        // Entra failing (500) while Azure refuses the token for 3 s: the token service's fetch fails, then recovers.
        await stack.LocalAzure.SetFaultAsync("""{"status":500,"seconds":8,"target":"token"}""");
        await stack.SetRoleAssignmentDelayAsync(3);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.NoContent, await WriteAsync(writeToken));
        }

        await Task.Delay(TimeSpan.FromSeconds(8));
        await stack.SetRoleAssignmentDelayAsync(0);
        await ArrivedAsync();

        // The access token the forwarder is given now (through its sidecar, as the forwarder asks for it).
        using var invoke = new HttpRequestMessage(HttpMethod.Get, new Uri(stack.ForwarderSidecar.HttpEndpoint, $"/v1.0/invoke/{DaprNames.TokenServiceAppId}/method/{DaprNames.TokenMethod}"));
        invoke.Headers.Add("dapr-api-token", stack.ForwarderSidecar.Options.DaprApiToken);
        using var tokenResponse = await stack.Http.SendAsync(invoke);
        tokenResponse.EnsureSuccessStatusCode();
        using var token = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync());
        var accessToken = token.RootElement.GetProperty("accessToken").GetString()!;
        Assert.StartsWith("eyJ", accessToken, StringComparison.Ordinal); // a JWT: so "eyJ" anywhere below is a leaked token

        // Let the per-interval report lines and debug output be written (ReportInterval 5 s).
        await Task.Delay(TimeSpan.FromSeconds(6));

        var secrets = new Dictionary<string, string>
        {
            ["client secret"] = clientSecret,
            ["write bearer token"] = writeToken,
            ["access token"] = accessToken,
            ["ingress DAPR_API_TOKEN"] = stack.IngressSidecar.Options.DaprApiToken!,
            ["forwarder DAPR_API_TOKEN"] = stack.ForwarderSidecar.Options.DaprApiToken!,
            ["forwarder APP_API_TOKEN"] = stack.ForwarderSidecar.Options.AppApiToken!,
            ["token service DAPR_API_TOKEN"] = stack.TokenSidecar.Options.DaprApiToken!,
            ["token service APP_API_TOKEN"] = stack.TokenSidecar.Options.AppApiToken!,
        };

        var places = new Dictionary<string, string>();
        foreach (var service in services)
        {
            places[$"{service.Name} output"] = service.Output;
            foreach (var path in new[] { "/metrics", "/health", "/ready" })
            {
                using var response = await stack.Http.GetAsync(new Uri(service.Address, path));
                places[$"{service.Name} {path} ({(int)response.StatusCode})"] = await response.Content.ReadAsStringAsync();
            }
        }

        for (var i = 0; i < errorBodies.Count; i++)
        {
            places[$"error body {i}"] = errorBodies[i];
        }

        var leaks = (from place in places
                     from secret in secrets
                     where place.Value.Contains(secret.Value, StringComparison.Ordinal)
                     select $"{secret.Key} in {place.Key}")
            .Concat(from place in places where place.Value.Contains("eyJ", StringComparison.Ordinal) select $"a JWT (eyJ…) in {place.Key}")
            .ToList();
        var debugLines = services.Sum(s => s.Output.Split('\n').Count(l => l.Contains("dbug:", StringComparison.Ordinal)));
        output.WriteLine($"checked {secrets.Count} secret values in {places.Count} places ({places.Values.Sum(v => v.Length)} characters, {debugLines} debug lines); {expected} samples stored");
        Assert.True(debugLines > 0, "debug logging was on");
        Assert.True(leaks.Count == 0, "leaked: " + string.Join("; ", leaks));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp directory
        }
    }
}
