using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RemoteWrite.Core.Azure;
using RemoteWrite.Core.Identity;
using RemoteWrite.Core.Configuration;
using RemoteWrite.Hosting;
using RemoteWrite.Standalone.Configuration;

namespace RemoteWrite.Standalone.Tests;

/// <summary>The side car's variables and the auth proxy's aliases (CONTRACT.md §3, §3a) land on the options.</summary>
public sealed class ConfigurationTests
{
    private const string Url = "https://dce.eastus-1.metrics.ingest.monitor.azure.com/dataCollectionRules/dcr-1/streams/Microsoft-PrometheusMetrics/api/v1/write?api-version=2023-04-24";

    private static IServiceProvider Build(Dictionary<string, string?> variables)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(variables);
        builder.AddStandaloneRelay();
        return builder.Services.BuildServiceProvider();
    }

    private static IdentityOptions Identity(Dictionary<string, string?> variables) =>
        Build(variables).GetRequiredService<IOptions<IdentityOptions>>().Value;

    [Fact]
    public void Side_car_variables_map_onto_the_options()
    {
        var services = Build(new()
        {
            ["INGESTION_URL"] = Url,
            ["IDENTITY_TYPE"] = "userAssigned",
            ["AZURE_CLIENT_ID"] = "client-1",
            ["AZURE_TENANT_ID"] = "tenant-1",
            ["INGESTION_AAD_AUDIENCE"] = "https://monitor.azure.us/",
            ["CLOUD"] = "AZUREGOVERNMENT",
            ["TRACE_LOGGING"] = "true",
            ["LISTENING_PORT"] = "9091",
            ["CLUSTER"] = "aks-1",
        });

        var identity = services.GetRequiredService<IOptions<IdentityOptions>>().Value;
        Assert.Equal(Url, services.GetRequiredService<IOptions<AzureMonitorOptions>>().Value.IngestionUrl);
        Assert.Equal(IdentityType.UserAssigned, identity.EffectiveType);
        Assert.Equal("client-1", identity.ClientId);
        Assert.Equal("tenant-1", identity.TenantId);
        Assert.Equal("https://monitor.azure.us/.default", identity.Scope);
        Assert.Equal(AzureCloud.Government, identity.ParsedCloud);
        Assert.Equal(new Uri("https://login.microsoftonline.us/"), identity.EffectiveAuthorityHost);
        var settings = services.GetRequiredService<IOptions<SideCarSettings>>().Value;
        Assert.True(settings.IsTraceLogging);
        Assert.Equal(9091, settings.Port);
        Assert.Equal("aks-1", settings.Cluster);
        Assert.Empty(StartupValidation.Problems(services));
    }

    [Fact]
    public void Auth_proxy_names_are_aliases()
    {
        var path = Path.GetTempFileName();
        var identity = Identity(new()
        {
            ["INGESTION_URL"] = Url,
            ["IDENTITY_TYPE"] = "aadApplication",
            ["AAD_CLIENT_ID"] = "proxy-client",
            ["AAD_TENANT_ID"] = "proxy-tenant",
            ["AAD_CLIENT_CERTIFICATE_PATH"] = path,
            ["AUDIENCE"] = "https://monitor.azure.cn",
            ["AAD_TOKEN_REFRESH_INTERVAL_IN_PERCENTAGE"] = "10",
        });

        Assert.Equal("proxy-client", identity.ClientId);
        Assert.Equal("proxy-tenant", identity.TenantId);
        Assert.Equal(path, identity.CertificatePath);
        Assert.Equal("https://monitor.azure.cn/.default", identity.Scope);
        Assert.Equal(10, identity.RefreshAtPercentOfLifetime);
    }

    [Fact]
    public void Side_car_name_wins_over_the_alias()
    {
        var identity = Identity(new() { ["AZURE_CLIENT_ID"] = "side-car", ["AAD_CLIENT_ID"] = "proxy" });
        Assert.Equal("side-car", identity.ClientId);
    }

    [Fact]
    public void What_the_side_car_lacks_is_read_too()
    {
        var tokenFile = Path.GetTempFileName();
        var identity = Identity(new()
        {
            ["AZURE_CLIENT_ID"] = "wi-client",
            ["AZURE_TENANT_ID"] = "wi-tenant",
            ["AZURE_FEDERATED_TOKEN_FILE"] = tokenFile,
            ["AZURE_AUTHORITY_HOST"] = "https://login.example.test/",
            ["AZURE_CLIENT_SECRET_FILE"] = "/nonexistent",
        });

        Assert.Equal(IdentityType.WorkloadIdentity, identity.EffectiveType);
        Assert.Equal(tokenFile, identity.FederatedTokenFile);
        Assert.Equal(new Uri("https://login.example.test/"), identity.EffectiveAuthorityHost);
        Assert.Equal("/nonexistent", identity.ClientSecretFile);
    }

    [Fact]
    public void Custom_cloud_takes_the_side_cars_AAD_HOST_ENDPOINT_even_without_a_scheme()
    {
        var identity = Identity(new() { ["CLOUD"] = "AZURECUSTOM", ["AAD_HOST_ENDPOINT"] = "login.sovereign.example", ["INGESTION_AAD_AUDIENCE"] = "https://monitor.sovereign.example/.default" });

        Assert.Equal(AzureCloud.Custom, identity.ParsedCloud);
        Assert.Equal(new Uri("https://login.sovereign.example"), identity.EffectiveAuthorityHost);
        Assert.Equal("https://monitor.sovereign.example/.default", identity.Scope);
    }

    [Theory]
    [InlineData("AZUREPUBLIC", AzureCloud.Public)]
    [InlineData("AZURE_PUBLIC", AzureCloud.Public)]
    [InlineData("AzurePublic", AzureCloud.Public)]
    [InlineData("AzurePublicCloud", AzureCloud.Public)]
    [InlineData("azurepubliccloud", AzureCloud.Public)]
    [InlineData("public", AzureCloud.Public)]
    [InlineData("", AzureCloud.Public)]
    [InlineData(null, AzureCloud.Public)]
    [InlineData("AZUREGOVERNMENT", AzureCloud.Government)]
    [InlineData("AZURE_GOVERNMENT", AzureCloud.Government)]
    [InlineData("AzureUSGovernment", AzureCloud.Government)]
    [InlineData("AzureGovernmentCloud", AzureCloud.Government)]
    [InlineData("AZURECHINA", AzureCloud.China)]
    [InlineData("AZURE_CHINA", AzureCloud.China)]
    [InlineData("AzureChina", AzureCloud.China)]
    [InlineData("AzureChinaCloud", AzureCloud.China)]
    [InlineData("AZURECUSTOM", AzureCloud.Custom)]
    [InlineData("azure_custom", AzureCloud.Custom)]
    public void Every_CLOUD_spelling_parses(string? text, AzureCloud expected)
    {
        Assert.True(AzureClouds.TryParse(text, out var cloud));
        Assert.Equal(expected, cloud);
    }

    [Theory]
    [InlineData("AZUREPUBLIC", "https://monitor.azure.com/.default")]
    [InlineData("AZURE_GOVERNMENT", "https://monitor.azure.us/.default")]
    [InlineData("AzureChina", "https://monitor.azure.cn/.default")]
    public void Each_cloud_has_its_default_audience(string cloud, string scope) =>
        Assert.Equal(scope, Identity(new() { ["CLOUD"] = cloud }).Scope);

    [Theory]
    [InlineData("https://monitor.azure.us", "https://monitor.azure.us/.default")]
    [InlineData("https://monitor.azure.us/", "https://monitor.azure.us/.default")]
    [InlineData("https://monitor.azure.us/.default", "https://monitor.azure.us/.default")]
    [InlineData(" https://monitor.azure.us/.DEFAULT ", "https://monitor.azure.us/.default")]
    public void Audience_with_or_without_default_and_slash_gives_one_scope(string audience, string scope) =>
        Assert.Equal(scope, Identity(new() { ["INGESTION_AAD_AUDIENCE"] = audience }).Scope);

    [Theory]
    [InlineData("userAssigned", IdentityType.UserAssigned)]
    [InlineData("USERASSIGNED", IdentityType.UserAssigned)]
    [InlineData("systemAssigned", IdentityType.SystemAssigned)]
    [InlineData("aadApplication", IdentityType.AadApplication)]
    [InlineData("workloadIdentity", IdentityType.WorkloadIdentity)]
    public void Every_IDENTITY_TYPE_parses(string text, IdentityType expected) =>
        Assert.Equal(expected, SideCarEnvironment.ParseIdentityType(text));

    [Fact]
    public void Invalid_configuration_lists_every_problem_on_its_own_line()
    {
        var problems = StartupValidation.Problems(Build(new()
        {
            ["IDENTITY_TYPE"] = "magic",
            ["LISTENING_PORT"] = "80808",
            ["TRACE_LOGGING"] = "verbose",
            ["CLOUD"] = "AzureMars",
            ["INGESTION_AAD_AUDIENCE"] = "not a uri",
            ["AAD_TOKEN_REFRESH_INTERVAL_IN_PERCENTAGE"] = "ten",
            ["RemoteWrite:MaxPartBytes"] = "10",
            ["Receiver:RetryStatusCode"] = "418",
        }));

        Assert.Contains(problems, p => p.StartsWith("INGESTION_URL", StringComparison.Ordinal) && p.Contains("required"));
        Assert.Contains(problems, p => p.StartsWith("IDENTITY_TYPE 'magic'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("LISTENING_PORT '80808'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("TRACE_LOGGING 'verbose'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("CLOUD (Identity:Cloud) 'AzureMars'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("INGESTION_AAD_AUDIENCE (Identity:Audience) 'not a uri'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("AAD_TOKEN_REFRESH_INTERVAL_IN_PERCENTAGE 'ten'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("RemoteWrite:MaxPartBytes", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Receiver__RetryStatusCode", StringComparison.Ordinal));
        Assert.All(problems, p => Assert.DoesNotContain('\n', p));
    }

    [Theory]
    [InlineData("aadApplication", "AZURE_CLIENT_ID")]
    [InlineData("aadApplication", "AZURE_TENANT_ID")]
    [InlineData("aadApplication", "needs AZURE_CLIENT_CERTIFICATE_PATH, AZURE_CLIENT_SECRET or AZURE_CLIENT_SECRET_FILE")]
    [InlineData("userAssigned", "AZURE_CLIENT_ID")]
    [InlineData("workloadIdentity", "AZURE_FEDERATED_TOKEN_FILE")]
    public void Each_identity_type_names_what_it_misses(string type, string expected)
    {
        var problems = StartupValidation.Problems(Build(new() { ["INGESTION_URL"] = Url, ["IDENTITY_TYPE"] = type }));
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Certificate_file_that_does_not_exist_is_reported()
    {
        var problems = StartupValidation.Problems(Build(new()
        {
            ["INGESTION_URL"] = Url,
            ["IDENTITY_TYPE"] = "aadApplication",
            ["AZURE_CLIENT_ID"] = "c",
            ["AZURE_TENANT_ID"] = "t",
            ["AZURE_CLIENT_CERTIFICATE_PATH"] = "/no/such/cert.pem",
        }));
        Assert.Equal(["AZURE_CLIENT_CERTIFICATE_PATH (Identity:CertificatePath) '/no/such/cert.pem' does not exist."], problems);
    }

    [Fact]
    public void Identity_type_is_inferred_when_not_set()
    {
        Assert.Equal(IdentityType.SystemAssigned, Identity(new()).EffectiveType);
        Assert.Equal(IdentityType.UserAssigned, Identity(new() { ["AZURE_CLIENT_ID"] = "c" }).EffectiveType);
        Assert.Equal(IdentityType.AadApplication, Identity(new() { ["AZURE_CLIENT_ID"] = "c", ["AZURE_TENANT_ID"] = "t", ["AZURE_CLIENT_SECRET"] = "s" }).EffectiveType);
    }

    [Fact]
    public void TARGET_HOST_alone_is_explained_rather_than_guessed()
    {
        var problems = StartupValidation.Problems(Build(new() { ["TARGET_HOST"] = "https://dce.eastus-1.metrics.ingest.monitor.azure.com" }));
        Assert.Contains(problems, p => p.StartsWith("TARGET_HOST is the auth proxy's host-only setting", StringComparison.Ordinal));
    }
}
