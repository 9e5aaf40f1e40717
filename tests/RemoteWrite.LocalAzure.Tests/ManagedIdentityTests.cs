using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Core;
using Azure.Identity;
using RemoteWrite.LocalAzure.Options;
using RemoteWrite.LocalAzure.Tests.Infrastructure;
using static RemoteWrite.Testing.RemoteWriteBodies;

namespace RemoteWrite.LocalAzure.Tests;

/// <summary>
/// One stand-in for every managed identity test in the process: MSAL caches the IMDS host per
/// process (CONTRACT §2a), so <c>AZURE_POD_IDENTITY_AUTHORITY_HOST</c> is set once, here.
/// </summary>
public sealed class ManagedIdentityFixture : IDisposable
{
    public const string UserAssignedClientId = "00000000-0000-0000-0000-0000000000a1";

    public ManagedIdentityFixture()
    {
        Factory = new LocalAzureFactory(new Dictionary<string, string?> { ["LocalAzure:ManagedIdentities:0"] = UserAssignedClientId }).StartKestrel();
        Environment.SetEnvironmentVariable("AZURE_POD_IDENTITY_AUTHORITY_HOST", Factory.HttpAddress!.ToString().TrimEnd('/'));
    }

    public LocalAzureFactory Factory { get; }

    public void Dispose() => Factory.Dispose();
}

[CollectionDefinition(Name)]
public sealed class ManagedIdentityCollection : ICollectionFixture<ManagedIdentityFixture>
{
    public const string Name = "managed identity (one IMDS host per process)";
}

[Collection(ManagedIdentityCollection.Name)]
public sealed class ManagedIdentityTests(ManagedIdentityFixture fixture)
{
    private static readonly TokenRequestContext MonitorScope = new([Tokens.Scope]);

    private HttpClient Client() => new() { BaseAddress = fixture.Factory.HttpAddress, Timeout = TimeSpan.FromSeconds(60) };

    [Fact]
    public async Task System_assigned_ManagedIdentityCredential_gets_a_token_that_ingestion_accepts()
    {
        var credential = new ManagedIdentityCredential(new ManagedIdentityCredentialOptions(ManagedIdentityId.SystemAssigned));
        var token = await credential.GetTokenAsync(MonitorScope, default);

        await AssertAcceptedAsync(token.Token, LocalAzureOptions.SystemAssignedClientId);
        Assert.True(token.ExpiresOn > DateTimeOffset.UtcNow.AddMinutes(50));
    }

    [Fact]
    public async Task User_assigned_ManagedIdentityCredential_gets_a_token_that_ingestion_accepts()
    {
        var credential = new ManagedIdentityCredential(new ManagedIdentityCredentialOptions(ManagedIdentityId.FromUserAssignedClientId(ManagedIdentityFixture.UserAssignedClientId)));
        var token = await credential.GetTokenAsync(MonitorScope, default);

        await AssertAcceptedAsync(token.Token, ManagedIdentityFixture.UserAssignedClientId);
    }

    [Fact]
    public async Task An_unknown_user_assigned_identity_fails()
    {
        var credential = new ManagedIdentityCredential(new ManagedIdentityCredentialOptions(ManagedIdentityId.FromUserAssignedClientId(Guid.NewGuid().ToString())));
        var error = await Assert.ThrowsAnyAsync<AuthenticationFailedException>(() => credential.GetTokenAsync(MonitorScope, default).AsTask());
        Assert.Contains("Identity not found", error.ToString());
    }

    [Fact]
    public async Task IMDS_refuses_a_request_without_the_Metadata_header()
    {
        using var client = Client();
        using var response = await client.GetAsync("/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://monitor.azure.com");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("metadata header", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task IMDS_answers_expires_on_and_expires_in_as_strings()
    {
        using var client = Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://monitor.azure.com");
        request.Headers.Add("Metadata", "true");
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(JsonValueKind.String, json.RootElement.GetProperty("expires_on").ValueKind);
        Assert.Equal("3599", json.RootElement.GetProperty("expires_in").GetString());
        Assert.Equal("https://monitor.azure.com", json.RootElement.GetProperty("resource").GetString());
        Assert.Equal("Bearer", json.RootElement.GetProperty("token_type").GetString());
    }

    [Fact]
    public async Task App_Service_endpoint_needs_the_identity_header()
    {
        using var client = Client();
        using var without = await client.GetAsync("/msi/token?api-version=2019-08-01&resource=https://monitor.azure.com");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/msi/token?api-version=2019-08-01&resource=https://monitor.azure.com");
        request.Headers.Add("X-IDENTITY-HEADER", "local-identity-header");
        using var with = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
        using var json = JsonDocument.Parse(await with.Content.ReadAsStringAsync());
        await AssertAcceptedAsync(json.RootElement.GetProperty("access_token").GetString()!, LocalAzureOptions.SystemAssignedClientId);
    }

    private async Task AssertAcceptedAsync(string token, string clientId)
    {
        using var client = Client();
        using var response = await client.SendAsync(IngestionPost(Compress(Series("mi_up", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 1)), token));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stats = await client.GetFromJsonAsync<JsonElement>("/admin/stats");
        Assert.True(stats.GetProperty("byIdentity").GetProperty(clientId).GetProperty("accepted").GetInt64() >= 1);
    }
}
