using System.Security.Cryptography;

namespace RemoteWrite.Core.Identity;

/// <summary>
/// A fingerprint of a credential file's content. Content, not mtime: Kubernetes and the CSI
/// secrets-store driver swap a symlink, which leaves the link's own timestamp unchanged.
/// </summary>
public static class CredentialFileStamp
{
    /// <summary>SHA-256 of the file as hex, or null when there is no file or it cannot be read right now.</summary>
    public static string? Of(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        try
        {
            return Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
