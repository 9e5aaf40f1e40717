using System.Net.Http.Json;
using System.Text.Json;
using RemoteWrite.LocalAzure.Options;

namespace RemoteWrite.LocalAzure.Tests.Infrastructure;

/// <summary>Gets tokens from the stand-in over plain HTTP (the real credential classes are tested separately).</summary>
public static class Tokens
{
    public const string Scope = "https://monitor.azure.com/.default";

    /// <summary>Client credentials with the dev app's secret, through the real token endpoint.</summary>
    public static async Task<string> DevAppTokenAsync(HttpClient client, string tenant = "tenant-a")
    {
        using var response = await client.PostAsync($"/{tenant}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = LocalAzureOptions.DevClientId,
            ["client_secret"] = LocalAzureOptions.DevClientSecret,
            ["scope"] = Scope,
        }));
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Bearer", json.RootElement.GetProperty("token_type").GetString());
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>A token minted by the admin endpoint, for audiences and lifetimes the credential flows never give.</summary>
    public static async Task<string> MintAsync(HttpClient client, string clientId, string? resource = null, int? lifetimeSeconds = null)
    {
        using var response = await client.PostAsJsonAsync("/admin/tokens", new { clientId, resource, lifetimeSeconds });
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    public static async Task<JsonElement> StatsAsync(HttpClient client)
    {
        var text = await client.GetStringAsync("/admin/stats");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
