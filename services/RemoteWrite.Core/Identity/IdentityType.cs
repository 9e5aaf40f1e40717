namespace RemoteWrite.Core.Identity;

/// <summary>How the relay signs in to Entra ID; the side car's <c>IDENTITY_TYPE</c> values (CONTRACT.md §3, §3a).</summary>
public enum IdentityType
{
    /// <summary>Not set: chosen from what is configured (see <see cref="IdentityOptions.EffectiveType"/>).</summary>
    Auto,

    /// <summary>The VM's or pod's system-assigned managed identity.</summary>
    SystemAssigned,

    /// <summary>A user-assigned managed identity, chosen by client id.</summary>
    UserAssigned,

    /// <summary>An Entra ID application with a client secret or a certificate.</summary>
    AadApplication,

    /// <summary>AKS workload identity: a federated token file exchanged for an Entra ID token.</summary>
    WorkloadIdentity,
}
