namespace RemoteWrite.DaprSidecar;

/// <summary>
/// The callee side of a Dapr Configuration's <c>spec.accessControl</c>: a default action and, per
/// caller app id, an action (dapr/dapr pkg/acl/acl.go, <c>isOperationAllowedByAccessControlPolicy</c>;
/// operations narrower than a whole app are not needed here).
/// </summary>
public sealed record AccessControlPolicy(bool DefaultAllow, IReadOnlyDictionary<string, bool> PerCaller)
{
    public static AccessControlPolicy AllowAll { get; } = new(true, new Dictionary<string, bool>());

    public static AccessControlPolicy DenyAllBut(params string[] callers) =>
        new(false, callers.ToDictionary(c => c, _ => true, StringComparer.Ordinal));

    public bool Allows(string callerAppId) => PerCaller.TryGetValue(callerAppId, out var allow) ? allow : DefaultAllow;
}
