using RemoteWrite.Dapr;
using RemoteWrite.Deploy.Tests.Infrastructure;

namespace RemoteWrite.Deploy.Tests;

/// <summary>
/// App ids, ports, pub/sub, topic, secret store, Configuration and Resiliency names agree across the
/// code (DaprNames), dapr.yaml, docker-compose.yml, the Dockerfiles, components/ and deploy/.
/// </summary>
public sealed class NamesAgreementTests
{
    // compose service -> app id; dapr.yaml is the reference for ports.
    private static readonly Dictionary<string, string> ComposeApps = new()
    {
        ["ingress"] = DaprNames.IngressAppId,
        ["forwarder"] = DaprNames.ForwarderAppId,
        ["tokenservice"] = DaprNames.TokenServiceAppId,
    };

    private static readonly Dictionary<string, string> Projects = new()
    {
        [DaprNames.IngressAppId] = "RemoteWrite.Ingress",
        [DaprNames.ForwarderAppId] = "RemoteWrite.Forwarder",
        [DaprNames.TokenServiceAppId] = "RemoteWrite.TokenService",
    };

    /// <summary>dapr.yaml's apps: app id → appPort.</summary>
    private static Dictionary<string, string> RunFilePorts() =>
        Yaml.List(Yaml.File("dapr.yaml"), "apps").ToDictionary(a => Yaml.Str(a, "appID")!, a => Yaml.Str(a, "appPort")!);

    [Fact]
    public void Compose_sidecars_use_the_app_ids_and_ports_of_dapr_yaml()
    {
        var ports = RunFilePorts();
        foreach (var (sidecar, app) in Compose.Sidecars)
        {
            var flags = Compose.DaprdFlags(sidecar);
            Assert.Equal(ComposeApps[app], flags["app-id"]);
            Assert.Equal(ports[ComposeApps[app]], flags["app-port"]);
        }

        // Remote-write goes straight to the app (dapr.yaml sets no maxBodySize); the sidecar only
        // carries messages of at most HandOff's limit, so its body limit must hold one.
        Assert.True(Quantity(Compose.DaprdFlags("ingress-dapr")["max-body-size"]) > HandOff.DefaultMaxMessageBytes);
    }

    [Fact]
    public void Images_listen_on_the_ports_dapr_yaml_gives_their_apps()
    {
        foreach (var (appId, port) in RunFilePorts())
        {
            var project = Projects.GetValueOrDefault(appId) ?? (appId == "remotewrite-localazure" ? "RemoteWrite.LocalAzure" : null);
            Assert.NotNull(project);
            var dockerfile = File.ReadAllText(Path.Combine(RepoPaths.Root, "services", project, "Dockerfile"));
            Assert.Matches($@"(?m)^EXPOSE {port}$", dockerfile);
            Assert.Contains($"http://127.0.0.1:{port}/health", dockerfile);
        }

        Assert.Matches(@"(?m)^ENV LISTENING_PORT=8081$", File.ReadAllText(Path.Combine(RepoPaths.Root, "services", "RemoteWrite.Standalone", "Dockerfile")));
    }

    [RequiresToolsFact(Tool.Kubectl)]
    public async Task Kubernetes_deployments_use_the_app_ids_ports_and_configuration_of_the_code()
    {
        var ports = RunFilePorts();
        foreach (var target in new[] { "deploy/overlays/local", "deploy/overlays/azure" })
        {
            var objects = await Kustomize.ObjectsAsync(target);
            foreach (var appId in Projects.Keys)
            {
                var deployment = Yaml.OfKind(objects, "Deployment", appId).Single();
                var annotations = Yaml.Map(deployment, "spec", "template", "metadata", "annotations");
                Assert.Equal(appId, annotations["dapr.io/app-id"]);
                Assert.Equal(ports[appId], annotations["dapr.io/app-port"]);
                Assert.Equal(DaprNames.Configuration, annotations["dapr.io/config"]);
                Assert.Equal(ports[appId], Yaml.Str(deployment, "spec", "template", "spec", "containers", "0", "ports", "0", "containerPort"));
            }

            var ingress = Yaml.OfKind(objects, "Deployment", DaprNames.IngressAppId).Single();
            var maxBody = Yaml.Str(ingress, "spec", "template", "metadata", "annotations", "dapr.io/max-body-size")!;
            Assert.Equal(Compose.DaprdFlags("ingress-dapr")["max-body-size"], maxBody);
            Assert.True(Quantity(maxBody) > HandOff.DefaultMaxMessageBytes);
            Assert.Single(Yaml.OfKind(objects, "Configuration", DaprNames.Configuration));
            Assert.Single(Yaml.OfKind(objects, "Resiliency", DaprNames.Resiliency));
            var pubsub = Yaml.OfKind(objects, "Component", DaprNames.PubSub).Single();
            Assert.Equal([DaprNames.IngressAppId, DaprNames.ForwarderAppId], Yaml.List(pubsub, "scopes").Cast<string>());
            var secrets = Yaml.OfKind(objects, "Component", DaprNames.SecretStore).Single();
            Assert.Equal([DaprNames.TokenServiceAppId], Yaml.List(secrets, "scopes").Cast<string>());
        }
    }

    [RequiresToolsFact(Tool.Kubectl)]
    public async Task Forwarder_autoscaling_watches_both_topics_the_forwarder_consumes()
    {
        // Dapr names the Redis consumer group and the Service Bus subscription after the app id.
        var local = Yaml.OfKind(await Kustomize.ObjectsAsync("deploy/overlays/local"), "ScaledObject").Single();
        var redisHost = Yaml.Str(Yaml.OfKind(await Kustomize.ObjectsAsync("deploy/overlays/local"), "Component", DaprNames.PubSub).Single(), "spec", "metadata", "0", "value");
        var streams = Yaml.List(local, "spec", "triggers").Select(t => Yaml.Map(t, "metadata")).ToList();
        Assert.Equal([DaprNames.Topic, DaprNames.RetryTopic], streams.Select(m => m["stream"]));
        Assert.All(streams, m => Assert.Equal(DaprNames.ForwarderAppId, m["consumerGroup"]));
        Assert.All(streams, m => Assert.Equal(redisHost, m["address"]));

        var azure = Yaml.OfKind(await Kustomize.ObjectsAsync("deploy/overlays/azure"), "ScaledObject").Single();
        var topics = Yaml.List(azure, "spec", "triggers").Select(t => Yaml.Map(t, "metadata")).ToList();
        Assert.Equal([DaprNames.Topic, DaprNames.RetryTopic], topics.Select(m => m["topicName"]));
        Assert.All(topics, m => Assert.Equal(DaprNames.ForwarderAppId, m["subscriptionName"]));
    }

    [Fact]
    public void Copies_of_components_differ_only_in_the_redis_host()
    {
        var original = Yaml.File("components", "pubsub.yaml");
        foreach (var copy in new[] { Yaml.File("deploy", "compose", "components", "pubsub.yaml"), Yaml.File("deploy", "overlays", "local", "dapr-pubsub.yaml") })
        {
            Assert.Equal(Yaml.Canonical(WithoutRedisHost(original)), Yaml.Canonical(WithoutRedisHost(copy)));
        }

        Assert.Equal(Yaml.Canonical(Yaml.File("components", "resiliency.yaml")), Yaml.Canonical(Yaml.File("deploy", "base", "dapr-resiliency.yaml")));
    }

    [Fact]
    public void Kubernetes_configuration_keeps_the_access_control_and_secret_scopes_of_components()
    {
        var original = Yaml.File("components", "configuration.yaml");
        var kubernetes = Yaml.File("deploy", "base", "dapr-configuration.yaml");
        Assert.Equal(DaprNames.Configuration, Yaml.Str(kubernetes, "metadata", "name"));
        Assert.Equal(Yaml.Canonical(Yaml.At(original, "spec", "secrets")), Yaml.Canonical(Yaml.At(kubernetes, "spec", "secrets")));
        Assert.Equal("deny", Yaml.Str(kubernetes, "spec", "accessControl", "defaultAction"));
        var policy = Yaml.At(kubernetes, "spec", "accessControl", "policies", "0");
        Assert.Equal(DaprNames.ForwarderAppId, Yaml.Str(policy, "appId"));
        Assert.Equal("/" + DaprNames.TokenMethod, Yaml.Str(policy, "operations", "0", "name"));
        // The policy names the caller's namespace: the one the base deploys to.
        Assert.Equal(Yaml.Str(Yaml.File("deploy", "base", "kustomization.yaml"), "namespace"), Yaml.Str(policy, "namespace"));
    }

    [Fact]
    public void Compose_mounts_only_files_that_exist_and_the_components_daprd_expects()
    {
        foreach (var (sidecar, _) in Compose.Sidecars)
        {
            foreach (var volume in Yaml.List(Compose.Services[sidecar], "volumes").Cast<string>())
            {
                var source = volume.Split(':')[0];
                Assert.True(File.Exists(Path.Combine(RepoPaths.Root, source)), $"{sidecar} mounts missing {source}");
            }
        }

        // daprd resolves the secret store's relative secretsFile from its working directory, as
        // `dapr run` does from the app's folder: it must land on the mounted secrets file.
        var secretsFile = Yaml.Str(Yaml.File("components", "secretstore.yaml"), "spec", "metadata", "0", "value")!;
        var daprd = Compose.Services["tokenservice-dapr"];
        var resolved = Path.GetFullPath(secretsFile, Yaml.Str(daprd, "working_dir")!);
        Assert.Contains($"./components/secrets.dev.json:{resolved}:ro", Yaml.List(daprd, "volumes").Cast<string>());
        Assert.Equal("redis:6379", Yaml.Str(Yaml.File("deploy", "compose", "components", "pubsub.yaml"), "spec", "metadata", "0", "value"));
    }

    [Fact]
    public void Ports_in_the_kubernetes_network_policies_are_the_apps_ports()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "base", "networkpolicies.yaml"));
        foreach (var port in RunFilePorts().Where(p => Projects.ContainsKey(p.Key)).Select(p => p.Value))
        {
            Assert.Matches($@"port: {port}\b", text);
        }

        Assert.Contains("port: 50002", text); // daprd's internal gRPC port: sidecar to sidecar
    }

    /// <summary>A Kubernetes-style quantity ("4Mi", "16Mi", "1000000") in bytes.</summary>
    private static long Quantity(string value) =>
        value.EndsWith("Mi", StringComparison.Ordinal) ? long.Parse(value[..^2], System.Globalization.CultureInfo.InvariantCulture) * 1024 * 1024
        : value.EndsWith("Ki", StringComparison.Ordinal) ? long.Parse(value[..^2], System.Globalization.CultureInfo.InvariantCulture) * 1024
        : long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

    private static object? WithoutRedisHost(object? component)
    {
        var copy = Yaml.Load(Yaml.Canonical(component));
        Yaml.List(copy, "spec", "metadata").RemoveAll(m => Yaml.Str(m, "name") == "redisHost");
        return copy;
    }
}
