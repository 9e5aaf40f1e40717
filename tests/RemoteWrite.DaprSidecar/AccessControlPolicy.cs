namespace RemoteWrite.DaprSidecar;

/// <summary>
/// The callee side of a Dapr Configuration's <c>spec.accessControl</c>, decided as daprd does
/// (dapr/dapr pkg/acl/acl.go <c>IsOperationAllowedByAccessControlPolicy</c>): without a caller
/// identity (no mTLS, so no SPIFFE id), or with no policy for the caller's app id and namespace, or
/// a trust domain that differs, the global <see cref="DefaultAction"/> applies. Otherwise the app
/// policy's default action (when set) and then the first matching operation's action for the HTTP
/// verb (or <c>*</c>). Operation names are lower-cased and get a leading slash for HTTP.
/// </summary>
public sealed record AccessControlPolicy(string DefaultAction, string TrustDomain, IReadOnlyList<AppAccessPolicy> Policies)
{
    public static AccessControlPolicy AllowAll { get; } = new("allow", "public", []);

    public bool Allows(CallerIdentity? caller, string operation, string httpVerb)
    {
        var action = DefaultAction;
        if (caller is null)
        {
            return IsAllow(action);
        }

        var policy = Policies.FirstOrDefault(p => p.AppId == caller.AppId && p.Namespace == caller.Namespace);
        if (policy is null || policy.TrustDomain != caller.TrustDomain)
        {
            return IsAllow(action);
        }

        if (!string.IsNullOrEmpty(policy.DefaultAction))
        {
            action = policy.DefaultAction;
        }

        var path = "/" + operation.TrimStart('/').ToLowerInvariant();
        var match = policy.Operations.FirstOrDefault(o => o.Matches(path));
        if (match is not null)
        {
            if (match.VerbActions.TryGetValue(httpVerb, out var verbAction) || match.VerbActions.TryGetValue("*", out verbAction))
            {
                action = verbAction;
            }
        }

        return IsAllow(action);
    }

    private static bool IsAllow(string? action) => string.Equals(action, "allow", StringComparison.OrdinalIgnoreCase);
}

/// <summary>One entry of <c>accessControl.policies</c>: what one calling app may do.</summary>
public sealed record AppAccessPolicy(string AppId, string? DefaultAction, string TrustDomain, string Namespace, IReadOnlyList<OperationAccess> Operations);

/// <summary>
/// One <c>operations</c> entry: a name (<c>/token</c>; <c>*</c> matches one path segment, <c>**</c>
/// the rest, as daprd's operation trie, pkg/config) and an action per HTTP verb.
/// </summary>
public sealed record OperationAccess(string Name, IReadOnlyDictionary<string, string> VerbActions)
{
    public bool Matches(string path)
    {
        var pattern = ("/" + Name.TrimStart('/')).ToLowerInvariant().Split('/');
        var segments = path.Split('/');
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == "**")
            {
                return true;
            }

            if (i >= segments.Length || (pattern[i] != "*" && pattern[i] != segments[i]))
            {
                return false;
            }
        }

        return segments.Length == pattern.Length;
    }
}

/// <summary>Who calls, as the callee's daprd reads it from the caller's SPIFFE id (<c>spiffe://{trustDomain}/ns/{namespace}/{appId}</c>).</summary>
public sealed record CallerIdentity(string AppId, string Namespace, string TrustDomain);
