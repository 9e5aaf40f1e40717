using System.Security.Cryptography;

namespace RemoteWrite.LocalAzure.Identity;

/// <summary>
/// The stand-in's own keys: one signs the access tokens it issues (as Entra's token signing key),
/// one plays a Kubernetes cluster's service-account issuer for workload identity tests.
/// Made fresh at each start: tokens from an earlier run are (rightly) invalid.
/// </summary>
internal sealed class SigningKeys : IDisposable
{
    public RSA TokenKey { get; } = RSA.Create(2048);

    public string TokenKeyId { get; } = Guid.NewGuid().ToString("N");

    public RSA ClusterKey { get; } = RSA.Create(2048);

    public string ClusterKeyId { get; } = Guid.NewGuid().ToString("N");

    public void Dispose()
    {
        TokenKey.Dispose();
        ClusterKey.Dispose();
    }
}
