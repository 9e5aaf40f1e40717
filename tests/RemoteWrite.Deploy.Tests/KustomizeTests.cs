using RemoteWrite.Deploy.Tests.Infrastructure;

namespace RemoteWrite.Deploy.Tests;

/// <summary>Every kustomization renders, and what it renders validates against the schemas.</summary>
public sealed class KustomizeTests
{
    [RequiresToolsFact(Tool.Kubectl)]
    public async Task Every_overlay_renders()
    {
        foreach (var target in Kustomize.Targets)
        {
            Assert.NotEmpty(await Kustomize.ObjectsAsync(target));
        }
    }

    [RequiresToolsFact(Tool.Kubectl, Tool.Node)]
    public async Task Rendered_objects_validate_against_the_Kubernetes_KEDA_Prometheus_Operator_schemas_and_Dapr_shapes()
    {
        foreach (var target in Kustomize.Targets)
        {
            var rendered = await Kustomize.RenderAsync(target);
            Assert.Equal(0, rendered.ExitCode);
            var check = await Command.RunAsync(Tool.Node, [Path.Combine(Tool.ChecksDirectory, "validate-manifests.mjs")], stdin: rendered.Stdout);
            Assert.True(check.ExitCode == 0, $"{target}:\n{check.Output}");
        }
    }

    [RequiresToolsFact(Tool.Node)]
    public async Task The_validator_rejects_a_broken_object()
    {
        const string broken = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: { name: x }
            spec:
              replicas: "2"
              template: { spec: { containers: [{ name: a }] } }
            ---
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata: { name: c }
            spec: { type: redis, version: v1, metadata: [{ name: a, value: 1 }] }
            ---
            apiVersion: example.com/v1
            kind: Unknown
            metadata: { name: u }
            """;
        var check = await Command.RunAsync(Tool.Node, [Path.Combine(Tool.ChecksDirectory, "validate-manifests.mjs")], stdin: broken);
        Assert.Equal(1, check.ExitCode);
        Assert.Contains("replicas must be integer", check.Stdout);
        Assert.Contains("required property selector", check.Stdout);
        Assert.Contains("value must be a string", check.Stdout);
        Assert.Contains("no schema for apiVersion example.com/v1", check.Stdout);
    }

    [RequiresToolsFact(Tool.Kubectl)]
    public async Task Every_workload_runs_non_root_read_only_without_privilege_escalation_or_capabilities()
    {
        foreach (var target in Kustomize.Targets)
        {
            foreach (var doc in await Kustomize.ObjectsAsync(target))
            {
                var kind = Yaml.Str(doc, "kind");
                var containers = kind switch
                {
                    "Deployment" or "StatefulSet" => Yaml.List(doc, "spec", "template", "spec", "containers"),
                    "Prometheus" => Yaml.List(doc, "spec", "containers").Where(c => Yaml.Str(c, "image") is not null).ToList(),
                    _ => [],
                };
                var pod = kind == "Prometheus" ? Yaml.At(doc, "spec") : Yaml.At(doc, "spec", "template", "spec");
                foreach (var container in containers)
                {
                    var where = $"{target} {kind}/{Yaml.Str(doc, "metadata", "name")} container {Yaml.Str(container, "name")}";
                    var nonRoot = Yaml.Str(container, "securityContext", "runAsNonRoot") ?? Yaml.Str(pod, "securityContext", "runAsNonRoot");
                    Assert.True(nonRoot == "true", where + ": runAsNonRoot");
                    Assert.True(Yaml.Str(container, "securityContext", "readOnlyRootFilesystem") == "true", where + ": readOnlyRootFilesystem");
                    Assert.True(Yaml.Str(container, "securityContext", "allowPrivilegeEscalation") == "false", where + ": allowPrivilegeEscalation");
                    Assert.True(Yaml.List(container, "securityContext", "capabilities", "drop").Contains("ALL"), where + ": capabilities.drop ALL");
                    Assert.True(Yaml.At(container, "resources", "requests") is not null, where + ": resource requests");
                    Assert.True(Yaml.Str(container, "resources", "limits", "memory") is not null, where + ": memory limit");
                    Assert.True(Yaml.At(container, "readinessProbe") is not null && Yaml.At(container, "livenessProbe") is not null, where + ": probes");
                }
            }
        }
    }

    [RequiresToolsFact(Tool.Kubectl)]
    public async Task Dapr_apps_probe_health_and_ready_and_carry_the_sidecar_annotations()
    {
        foreach (var target in new[] { "deploy/overlays/local", "deploy/overlays/azure" })
        {
            var objects = await Kustomize.ObjectsAsync(target);
            foreach (var deployment in Yaml.OfKind(objects, "Deployment").Where(d => Yaml.Str(d, "spec", "template", "metadata", "annotations", "dapr.io/enabled") == "true"))
            {
                var annotations = Yaml.Map(deployment, "spec", "template", "metadata", "annotations");
                foreach (var key in new[] { "dapr.io/app-id", "dapr.io/app-port", "dapr.io/config", "dapr.io/enable-app-health-check", "dapr.io/app-health-check-path", "dapr.io/app-token-secret", "dapr.io/api-token-secret" })
                {
                    Assert.True(annotations.ContainsKey(key), $"{target} {Yaml.Str(deployment, "metadata", "name")}: {key}");
                }

                var container = Yaml.At(deployment, "spec", "template", "spec", "containers", "0");
                Assert.Equal("/health", Yaml.Str(container, "livenessProbe", "httpGet", "path"));
                Assert.Equal("/ready", Yaml.Str(container, "readinessProbe", "httpGet", "path"));
                Assert.Equal("/health", annotations["dapr.io/app-health-check-path"]);
            }

            // One PodDisruptionBudget per Dapr app, HPA for the ingress, KEDA for the forwarder.
            Assert.Equal(3, Yaml.OfKind(objects, "PodDisruptionBudget").Count());
            Assert.Equal("remotewrite-ingress", Yaml.Str(Yaml.OfKind(objects, "HorizontalPodAutoscaler").Single(), "spec", "scaleTargetRef", "name"));
            Assert.Equal("remotewrite-forwarder", Yaml.Str(Yaml.OfKind(objects, "ScaledObject").Single(), "spec", "scaleTargetRef", "name"));
            Assert.Contains(Yaml.OfKind(objects, "NetworkPolicy"), p => Yaml.Map(p, "spec", "podSelector").Count == 0);
        }
    }

    [RequiresToolsFact(Tool.Kubectl)]
    public async Task Sidecar_overlay_puts_the_relay_in_the_Prometheus_pod_and_writes_to_localhost_8081()
    {
        var prometheus = Yaml.OfKind(await Kustomize.ObjectsAsync("deploy/overlays/sidecar"), "Prometheus").Single();
        Assert.Equal("http://localhost:8081/api/v1/write", Yaml.Str(prometheus, "spec", "remoteWrite", "0", "url"));
        var relay = Yaml.List(prometheus, "spec", "containers").Single(c => Yaml.Str(c, "name") == "prom-remotewrite");
        Assert.Equal("8081", Yaml.Str(relay, "ports", "0", "containerPort"));
        Assert.Equal("rw-port", Yaml.Str(relay, "ports", "0", "name"));
        var env = Yaml.List(relay, "env").ToDictionary(e => Yaml.Str(e, "name")!, e => Yaml.Str(e, "value"));
        Assert.Contains("INGESTION_URL", env.Keys);
        Assert.Equal("workloadIdentity", env["IDENTITY_TYPE"]);
    }
}
