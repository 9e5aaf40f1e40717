using Microsoft.Extensions.Options;
using RemoteWrite.Core.Configuration;

namespace RemoteWrite.Receiver.Security;

/// <summary>Where the write credentials come from: files (both receivers) or the Dapr secret store (the ingress).</summary>
public interface IWriteCredentialSource
{
    /// <summary>False when write authentication is off.</summary>
    bool IsConfigured { get; }

    /// <summary>What to name in a log line (a variable or a secret's name; never content).</summary>
    string Description { get; }

    /// <summary>The current texts; throws when they cannot be read right now.</summary>
    Task<WriteCredentialTexts> ReadAsync(CancellationToken cancellationToken);
}

/// <summary><c>WRITE_BEARER_TOKENS_FILE</c> and <c>WRITE_BASIC_AUTH_FILE</c>, read whole on every check (a few hundred bytes).</summary>
public sealed class FileWriteCredentialSource(IOptions<ListenerSecurityOptions> options) : IWriteCredentialSource
{
    private readonly ListenerSecurityOptions _options = options.Value;

    public bool IsConfigured => _options.HasWriteAuthFiles;

    public string Description => Describe(_options);

    public Task<WriteCredentialTexts> ReadAsync(CancellationToken cancellationToken) => Task.FromResult(Read(_options));

    internal static WriteCredentialTexts Read(ListenerSecurityOptions options) => new(
        string.IsNullOrWhiteSpace(options.BearerTokensFile) ? null : File.ReadAllText(options.BearerTokensFile),
        string.IsNullOrWhiteSpace(options.BasicAuthFile) ? null : File.ReadAllText(options.BasicAuthFile),
        SideCarVariables.WriteBearerTokensFile,
        SideCarVariables.WriteBasicAuthFile);

    internal static string Describe(ListenerSecurityOptions options) => (string.IsNullOrWhiteSpace(options.BearerTokensFile), string.IsNullOrWhiteSpace(options.BasicAuthFile)) switch
    {
        (false, false) => $"{SideCarVariables.WriteBearerTokensFile} / {SideCarVariables.WriteBasicAuthFile}",
        (false, true) => SideCarVariables.WriteBearerTokensFile,
        _ => SideCarVariables.WriteBasicAuthFile,
    };
}
