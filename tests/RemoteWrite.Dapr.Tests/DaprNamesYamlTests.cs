using RemoteWrite.Dapr.Tests.Infrastructure;

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
        var acl = ConfigurationYaml.TokenServiceAccessControl();
        Assert.False(acl.DefaultAllow);
        Assert.True(acl.Allows(DaprNames.ForwarderAppId));
        Assert.False(acl.Allows(DaprNames.IngressAppId));
        var scopes = (List<object?>)MiniYaml.At(doc, "spec", "secrets", "scopes")!;
        Assert.Equal(DaprNames.SecretStore, MiniYaml.At(scopes[0], "storeName"));
        var allowed = ((List<object?>)MiniYaml.At(scopes[0], "allowedSecrets")!).Cast<string>().ToList();
        Assert.Contains(DaprNames.ClientSecretKey, allowed);
        Assert.Contains(DaprNames.CertificateKey, allowed);
        Assert.Contains(DaprNames.CertificatePasswordKey, allowed);
        Assert.Contains(DaprNames.ClientSecretKey, File.ReadAllText(Path.Combine(RepoPaths.Components, "secrets.dev.json")));
    }

    [Fact]
    public void Resiliency_targets_the_pubsub_inbound_and_the_token_service_with_exponential_retries()
    {
        var doc = Yaml("resiliency.yaml");
        Assert.Equal(DaprNames.Resiliency, MiniYaml.At(doc, "metadata", "name"));
        var inbound = (string)MiniYaml.At(doc, "spec", "targets", "components", DaprNames.PubSub, "inbound", "retry")!;
        var token = (string)MiniYaml.At(doc, "spec", "targets", "apps", DaprNames.TokenServiceAppId, "retry")!;
        Assert.Equal("exponential", MiniYaml.At(doc, "spec", "policies", "retries", inbound, "policy"));
        Assert.Equal("-1", MiniYaml.At(doc, "spec", "policies", "retries", inbound, "maxRetries"));
        Assert.Equal("exponential", MiniYaml.At(doc, "spec", "policies", "retries", token, "policy"));
        Assert.True(ResiliencyYaml.DeliveryRetry().Max > TimeSpan.Zero);
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
        Assert.Equal("16Mi", MiniYaml.At(apps[DaprNames.IngressAppId], "maxBodySize"));
        Assert.Equal("/health", MiniYaml.At(doc, "common", "appHealthCheckPath"));
        Assert.Equal("./components", MiniYaml.At(doc, "common", "resourcesPath"));
        Assert.StartsWith("http://127.0.0.1:5080/", (string)MiniYaml.At(apps[DaprNames.ForwarderAppId], "env", "AzureMonitor__IngestionUrl")!);
    }
}
