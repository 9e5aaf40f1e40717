using RemoteWrite.Dapr.Tests.Infrastructure;
using RemoteWrite.DaprSidecar;

namespace RemoteWrite.Dapr.Tests;

/// <summary>components/ and dapr.yaml use the names the code uses (DaprNames is the one source of truth).</summary>
public sealed class DaprNamesYamlTests
{
    private static object? Yaml(string file) => MiniYaml.ParseFile(Path.Combine(RepoPaths.Components, file));

    [Fact]
    public void Pubsub_component_has_the_code_name_and_is_scoped_to_ingress_and_forwarder()
    {
        var doc = Yaml("pubsub.yaml");
        Assert.Equal("Component", MiniYaml.At(doc, "kind"));
        Assert.Equal(DaprNames.PubSub, MiniYaml.At(doc, "metadata", "name"));
        Assert.Equal([DaprNames.IngressAppId, DaprNames.ForwarderAppId], ((List<object?>)MiniYaml.At(doc, "scopes")!).Cast<string>());
    }

    [Fact]
    public void Secret_store_has_the_code_name_and_only_the_token_service_reads_it()
    {
        var doc = Yaml("secretstore.yaml");
        Assert.Equal(DaprNames.SecretStore, MiniYaml.At(doc, "metadata", "name"));
        Assert.Equal([DaprNames.TokenServiceAppId], ((List<object?>)MiniYaml.At(doc, "scopes")!).Cast<string>());
        foreach (var alternative in new[] { "secretstore-kubernetes.yaml", "secretstore-keyvault.yaml" })
        {
            Assert.Equal(DaprNames.SecretStore, MiniYaml.At(Yaml(Path.Combine("alternatives", alternative)), "metadata", "name"));
        }
    }

    [Fact]
    public void Alternative_brokers_keep_the_pubsub_name()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Components, "alternatives"), "pubsub-*.yaml"))
        {
            Assert.Equal(DaprNames.PubSub, MiniYaml.At(MiniYaml.ParseFile(file), "metadata", "name"));
        }
    }

    [Fact]
    public void Configuration_denies_by_default_and_lets_only_the_forwarder_get_tokens()
    {
        var doc = Yaml("configuration.yaml");
        Assert.Equal(DaprNames.Configuration, MiniYaml.At(doc, "metadata", "name"));
        var acl = DaprYaml.AccessControl();
        Assert.True(DaprYaml.MtlsEnabled(), "access control needs mTLS: without a caller identity daprd applies the global deny");
        Assert.True(acl.Allows(Caller(DaprNames.ForwarderAppId), "/" + DaprNames.TokenMethod, "GET"));
        Assert.False(acl.Allows(Caller(DaprNames.IngressAppId), "/" + DaprNames.TokenMethod, "GET"));
        var scopes = (List<object?>)MiniYaml.At(doc, "spec", "secrets", "scopes")!;
        Assert.Equal(DaprNames.SecretStore, MiniYaml.At(scopes[0], "storeName"));
        var allowed = ((List<object?>)MiniYaml.At(scopes[0], "allowedSecrets")!).Cast<string>().ToList();
        Assert.Contains(DaprNames.ClientSecretKey, allowed);
        Assert.Contains(DaprNames.CertificateKey, allowed);
        Assert.Contains(DaprNames.CertificatePasswordKey, allowed);
        Assert.Contains(DaprNames.ClientSecretKey, File.ReadAllText(Path.Combine(RepoPaths.Components, "secrets.dev.json")));
    }

    [Fact]
    public void Local_run_uses_a_configuration_that_needs_no_sentry_and_keeps_the_secret_scopes()
    {
        // A self-hosted `dapr init` starts no Sentry: with mTLS on, every local daprd would fail to start,
        // and without a caller identity a deny-by-default ACL refuses the forwarder too.
        var run = MiniYaml.ParseFile(Path.Combine(RepoPaths.Root, "dapr.yaml"));
        Assert.Equal("./components/configuration.local.yaml", MiniYaml.At(run, "common", "configFilePath"));
        var local = Yaml("configuration.local.yaml");
        Assert.Equal("Configuration", MiniYaml.At(local, "kind"));
        Assert.Null(MiniYaml.At(local, "spec", "mtls"));
        Assert.Equal("allow", MiniYaml.At(local, "spec", "accessControl", "defaultAction"));
        var scopes = (List<object?>)MiniYaml.At(local, "spec", "secrets", "scopes")!;
        Assert.Equal(DaprNames.SecretStore, MiniYaml.At(scopes[0], "storeName"));
        Assert.Equal("deny", MiniYaml.At(scopes[0], "defaultAccess"));
    }

    [Fact]
    public void Resiliency_targets_the_pubsub_inbound_and_the_token_service_with_exponential_retries()
    {
        var doc = Yaml("resiliency.yaml");
        Assert.Equal(DaprNames.Resiliency, MiniYaml.At(doc, "metadata", "name"));
        var inbound = (string)MiniYaml.At(doc, "spec", "targets", "components", DaprNames.PubSub, "inbound", "retry")!;
        var token = (string)MiniYaml.At(doc, "spec", "targets", "apps", DaprNames.TokenServiceAppId, "retry")!;
        Assert.Equal("exponential", MiniYaml.At(doc, "spec", "policies", "retries", inbound, "policy"));
        Assert.Equal("exponential", MiniYaml.At(doc, "spec", "policies", "retries", token, "policy"));
        var retry = DaprYaml.DeliveryRetry();
        Assert.True(retry.Exponential);
        Assert.True(retry.MaxRetries > 0, "a bounded span: Redis redelivers after processingTimeout once daprd gives up");
        Assert.True(retry.MaxInterval > retry.InitialInterval);
    }

    [Fact]
    public void Dapr_run_file_starts_the_three_apps_and_the_azure_stand_in()
    {
        var doc = MiniYaml.ParseFile(Path.Combine(RepoPaths.Root, "dapr.yaml"));
        var apps = ((List<object?>)MiniYaml.At(doc, "apps")!).ToDictionary(a => (string)MiniYaml.At(a, "appID")!);
        Assert.Contains(DaprNames.IngressAppId, apps.Keys);
        Assert.Contains(DaprNames.ForwarderAppId, apps.Keys);
        Assert.Contains(DaprNames.TokenServiceAppId, apps.Keys);
        Assert.Equal("./services/RemoteWrite.LocalAzure", MiniYaml.At(apps["remotewrite-localazure"], "appDirPath"));
        // Prometheus posts to the ingress app directly: daprd's body limit is not on that path (and needs CLI >= 1.15).
        Assert.Null(MiniYaml.At(apps[DaprNames.IngressAppId], "maxBodySize"));
        Assert.Equal("/health", MiniYaml.At(doc, "common", "appHealthCheckPath"));
        Assert.Equal("./components", MiniYaml.At(doc, "common", "resourcesPath"));
        Assert.StartsWith("http://127.0.0.1:5080/", (string)MiniYaml.At(apps[DaprNames.ForwarderAppId], "env", "INGESTION_URL")!);
        Assert.Equal("aadApplication", MiniYaml.At(apps[DaprNames.TokenServiceAppId], "env", "IDENTITY_TYPE"));
    }

    [Fact]
    public void Dapr_run_file_leaves_the_tokens_to_the_shell_so_daprd_and_app_agree()
    {
        // dapr/cli pkg/standalone/run.go: GetAppCommand gives the app os.Environ() + common.env + app env;
        // GetDaprCommand gives daprd only os.Environ(). A token set in `env` would reach the app alone:
        // the token service would require an APP_API_TOKEN its daprd never sends (every call 401).
        var doc = MiniYaml.ParseFile(Path.Combine(RepoPaths.Root, "dapr.yaml"));
        var shell = new Dictionary<string, string> { ["APP_API_TOKEN"] = "from-shell-app", ["DAPR_API_TOKEN"] = "from-shell-api" };
        foreach (var app in (List<object?>)MiniYaml.At(doc, "apps")!)
        {
            var appEnv = new Dictionary<string, string>(shell);
            foreach (var env in new[] { MiniYaml.At(doc, "common", "env"), MiniYaml.At(app, "env") })
            {
                foreach (var (key, value) in env as Dictionary<string, object?> ?? [])
                {
                    appEnv[key] = (string)value!;
                }
            }

            foreach (var token in shell.Keys)
            {
                Assert.True(appEnv[token] == shell[token], $"{MiniYaml.At(app, "appID")}: {token} in the run file reaches the app but not daprd");
            }
        }

        Assert.Contains("APP_API_TOKEN=", File.ReadAllText(Path.Combine(RepoPaths.Root, "dapr.yaml")));
    }

    private static CallerIdentity Caller(string appId) => new(appId, "default", "public");
}
