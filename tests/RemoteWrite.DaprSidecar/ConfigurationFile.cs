namespace RemoteWrite.DaprSidecar;

/// <summary>
/// Reads a Configuration resource (components/configuration.yaml) as daprd parses it
/// (dapr/dapr pkg/acl/acl.go <c>ParseAccessControlSpec</c>): global <c>defaultAction</c> (deny when
/// policies exist but none is set), <c>trustDomain</c> (default <c>public</c>), and per app id and
/// namespace its <c>operations</c> (<c>name</c>, <c>httpVerb</c>, <c>action</c>). Also whether
/// <c>spec.mtls.enabled</c> is set, which is what the CLI passes on as <c>--enable-mtls</c>
/// (dapr/cli pkg/standalone/run.go <c>mtlsEndpoint</c>).
/// </summary>
public static class ConfigurationFile
{
    public static AccessControlPolicy AccessControl(string path)
    {
        var acl = MiniYaml.At(MiniYaml.ParseFile(path), "spec", "accessControl");
        if (acl is null)
        {
            return AccessControlPolicy.AllowAll;
        }

        var policies = new List<AppAccessPolicy>();
        foreach (var policy in MiniYaml.At(acl, "policies") as List<object?> ?? [])
        {
            var operations = new List<OperationAccess>();
            foreach (var operation in MiniYaml.At(policy, "operations") as List<object?> ?? [])
            {
                var action = (string)MiniYaml.At(operation, "action")!;
                var verbs = (MiniYaml.At(operation, "httpVerb") as List<object?> ?? []).Cast<string>().ToDictionary(v => v, _ => action, StringComparer.Ordinal);
                operations.Add(new OperationAccess((string)MiniYaml.At(operation, "name")!, verbs));
            }

            policies.Add(new AppAccessPolicy(
                (string)MiniYaml.At(policy, "appId")!,
                MiniYaml.At(policy, "defaultAction") as string,
                MiniYaml.At(policy, "trustDomain") as string ?? throw new FormatException($"{path}: a policy without trustDomain is invalid"),
                MiniYaml.At(policy, "namespace") as string ?? throw new FormatException($"{path}: a policy without namespace is invalid"),
                operations));
        }

        // Unset: deny, unless policies is an explicit empty list.
        var defaultAction = MiniYaml.At(acl, "defaultAction") as string ?? (MiniYaml.At(acl, "policies") is List<object?> { Count: 0 } ? "allow" : "deny");
        return new AccessControlPolicy(defaultAction, MiniYaml.At(acl, "trustDomain") as string ?? "public", policies);
    }

    public static bool MtlsEnabled(string path) =>
        string.Equals(MiniYaml.At(MiniYaml.ParseFile(path), "spec", "mtls", "enabled") as string, "true", StringComparison.OrdinalIgnoreCase);
}
