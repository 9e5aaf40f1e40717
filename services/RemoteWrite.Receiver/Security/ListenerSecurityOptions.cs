using Microsoft.Extensions.Configuration;
using RemoteWrite.Core.Configuration;

namespace RemoteWrite.Receiver.Security;

/// <summary>
/// Who may write, and TLS on the listening port; section <c>ListenerSecurity</c>, usually set through
/// the environment names in <see cref="SideCarVariables"/> (mapped by <see cref="ApplyEnvironment"/>,
/// the one place that knows them). Everything is off unless set: the side car had neither.
/// </summary>
public sealed class ListenerSecurityOptions : IValidatedOptions
{
    public const string SectionName = "ListenerSecurity";

    /// <summary>Bearer tokens, one per line (<c>WRITE_BEARER_TOKENS_FILE</c>).</summary>
    public string? BearerTokensFile { get; set; }

    /// <summary>htpasswd lines <c>user:$2y$…</c> (<c>WRITE_BASIC_AUTH_FILE</c>).</summary>
    public string? BasicAuthFile { get; set; }

    /// <summary>PEM certificate of the listening port (<c>TLS_CERT_FILE</c>).</summary>
    public string? TlsCertFile { get; set; }

    /// <summary>PEM private key of <see cref="TlsCertFile"/> (<c>TLS_KEY_FILE</c>).</summary>
    public string? TlsKeyFile { get; set; }

    /// <summary>PEM CA certificate(s) a writer's client certificate must chain to (<c>TLS_CLIENT_CA_FILE</c>).</summary>
    public string? TlsClientCaFile { get; set; }

    /// <summary>How often the files are compared with what was loaded (content, not mtime: Kubernetes swaps a symlink).</summary>
    public TimeSpan FileCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    public bool HasWriteAuthFiles => !string.IsNullOrWhiteSpace(BearerTokensFile) || !string.IsNullOrWhiteSpace(BasicAuthFile);

    public bool HasTls => !string.IsNullOrWhiteSpace(TlsCertFile);

    public bool RequiresClientCertificate => HasTls && !string.IsNullOrWhiteSpace(TlsClientCaFile);

    /// <summary>The environment names win over the section's keys, as for the side car's other variables.</summary>
    public static void ApplyEnvironment(ListenerSecurityOptions options, IConfiguration config)
    {
        Set(config, SideCarVariables.WriteBearerTokensFile, v => options.BearerTokensFile = v);
        Set(config, SideCarVariables.WriteBasicAuthFile, v => options.BasicAuthFile = v);
        Set(config, SideCarVariables.TlsCertFile, v => options.TlsCertFile = v);
        Set(config, SideCarVariables.TlsKeyFile, v => options.TlsKeyFile = v);
        Set(config, SideCarVariables.TlsClientCaFile, v => options.TlsClientCaFile = v);
    }

    /// <summary>Reads and parses every configured file: a file that cannot be used at start is a configuration problem.</summary>
    public IEnumerable<string> Validate()
    {
        var problems = new List<string>();
        if (FileCheckInterval <= TimeSpan.Zero)
        {
            problems.Add("ListenerSecurity:FileCheckInterval must be positive.");
        }

        if (HasWriteAuthFiles)
        {
            try
            {
                WriteCredentials.Parse(FileWriteCredentialSource.Read(this), problems);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add($"{FileWriteCredentialSource.Describe(this)}: {e.Message}");
            }
        }

        var hasKey = !string.IsNullOrWhiteSpace(TlsKeyFile);
        if (HasTls != hasKey)
        {
            problems.Add($"{SideCarVariables.TlsCertFile} and {SideCarVariables.TlsKeyFile} must be set together.");
        }
        else if (HasTls)
        {
            try
            {
                ListenerCertificate.Load(this).Dispose();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException or InvalidOperationException)
            {
                problems.Add($"{SideCarVariables.TlsCertFile} / {SideCarVariables.TlsKeyFile}{(RequiresClientCertificate ? " / " + SideCarVariables.TlsClientCaFile : "")}: {e.Message}");
            }
        }

        if (!HasTls && !string.IsNullOrWhiteSpace(TlsClientCaFile))
        {
            problems.Add($"{SideCarVariables.TlsClientCaFile} needs {SideCarVariables.TlsCertFile} and {SideCarVariables.TlsKeyFile}: client certificates exist only with TLS.");
        }

        return problems;
    }

    private static void Set(IConfiguration config, string name, Action<string> assign)
    {
        if (SideCarEnvironment.Get(config, name) is { } value)
        {
            assign(value);
        }
    }
}
