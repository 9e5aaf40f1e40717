using RemoteWrite.Deploy.Tests.Infrastructure;

namespace RemoteWrite.Deploy.Tests;

/// <summary>docker-compose.yml validates and runs what the README says it runs.</summary>
public sealed class ComposeTests
{
    [RequiresToolsFact(Tool.DockerCompose)]
    public async Task Compose_file_validates_with_the_example_env_file()
    {
        // The file reads .env (tokens, optional Azure settings); validate it with .env.example as .env,
        // in a project directory of its own so a developer's real .env is neither needed nor read.
        var project = Directory.CreateTempSubdirectory("compose-").FullName;
        try
        {
            File.Copy(Path.Combine(RepoPaths.Root, ".env.example"), Path.Combine(project, ".env"));
            var result = await Command.RunAsync(Tool.DockerCompose,
                ["--project-directory", project, "-f", Path.Combine(RepoPaths.Root, "docker-compose.yml"), "config", "-q"]);
            Assert.True(result.ExitCode == 0, result.Output);
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }

    [Fact]
    public void Every_Dapr_app_has_a_daprd_sidecar_in_its_network_namespace_with_tokens_from_the_env_file()
    {
        var services = Compose.Services;
        var sidecars = Compose.Sidecars.ToList();
        Assert.Equal(["forwarder", "ingress", "tokenservice"], sidecars.Select(s => s.App).Order());
        foreach (var (sidecar, app) in sidecars)
        {
            Assert.StartsWith("daprio/daprd:", Yaml.Str(services[sidecar], "image"));
            Assert.Equal(".env", Yaml.Str(services[sidecar], "env_file"));
            Assert.Equal(".env", Yaml.Str(services[app], "env_file"));
            var flags = Compose.DaprdFlags(sidecar);
            Assert.Equal("/remotewrite/components", flags["resources-path"]);
            Assert.Equal("/remotewrite/config/configuration.local.yaml", flags["config"]);
            Assert.Equal("/health", flags["app-health-check-path"]);
        }
    }

    [Fact]
    public void Redis_keeps_an_append_only_file_never_evicts_and_has_a_memory_limit()
    {
        var redis = Compose.Services["redis"];
        var command = string.Join(' ', Yaml.List(redis, "command").Cast<string>());
        Assert.Contains("--appendonly yes", command);
        Assert.Contains("--appendfsync always", command);
        Assert.Contains("--maxmemory-policy noeviction", command);
        Assert.NotNull(Yaml.Str(redis, "mem_limit"));
        Assert.Contains(Yaml.List(redis, "volumes").Cast<string>(), v => v.EndsWith(":/data", StringComparison.Ordinal));
    }

    [Fact]
    public void Stand_in_is_the_default_destination_and_its_CA_is_trusted_by_the_token_service()
    {
        var services = Compose.Services;
        var ingestion = Yaml.Str(services["forwarder"], "environment", "INGESTION_URL")!;
        Assert.StartsWith("${INGESTION_URL:-http://localazure:5080/dataCollectionRules/", ingestion);
        var token = services["tokenservice"];
        Assert.Equal("/localazure/ca-bundle.pem", Yaml.Str(token, "environment", "SSL_CERT_FILE"));
        Assert.Contains("localazure-data:/localazure:ro", Yaml.List(token, "volumes").Cast<string>());
        Assert.Contains("localazure-data:/data", Yaml.List(services["localazure"], "volumes").Cast<string>());
        // The https authority's certificate must name the host the token service dials.
        Assert.Equal("localazure", Yaml.Str(services["localazure"], "environment", "LocalAzure__TlsHostNames__0"));
        Assert.Equal("${AZURE_AUTHORITY_HOST:-https://localazure:5443/}", Yaml.Str(token, "environment", "AZURE_AUTHORITY_HOST"));
    }

    [Fact]
    public void Prometheus_remote_writes_to_the_ingress_and_loads_the_alert_rules()
    {
        var config = Yaml.File("deploy", "compose", "prometheus.yml");
        Assert.Equal("http://ingress:8081/api/v1/write", Yaml.Str(config, "remote_write", "0", "url"));
        Assert.Contains("./deploy/monitoring/alerts.yml:/etc/prometheus/alerts.yml:ro", Yaml.List(Compose.Services["prometheus"], "volumes").Cast<string>());
        Assert.Equal("/etc/prometheus/alerts.yml", Yaml.Str(config, "rule_files", "0"));
    }

    [Fact]
    public void Env_example_documents_the_switch_to_real_Azure_and_holds_no_secret()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, ".env.example"));
        foreach (var name in new[] { "APP_API_TOKEN", "DAPR_API_TOKEN", "INGESTION_URL", "IDENTITY_TYPE", "AZURE_CLIENT_ID", "AZURE_TENANT_ID", "Monitoring Metrics Publisher", "30 minutes" })
        {
            Assert.Contains(name, text);
        }

        // Every assignment is commented out: copying the file sets nothing but the defaults.
        Assert.DoesNotContain(text.Split('\n'), line => line.Length > 0 && !line.StartsWith('#'));
        Assert.Contains(".env", File.ReadAllLines(Path.Combine(RepoPaths.Root, ".gitignore")));
    }
}
