using Dapr.Client;
using Microsoft.Extensions.Options;
using RemoteWrite.Receiver.Security;

namespace RemoteWrite.Ingress;

/// <summary>
/// The ingress' write credentials from the Dapr secret store when <c>Ingress__WriteAuthSecret</c> names a
/// secret: its keys <c>bearer-tokens</c> and <c>basic-auth</c> hold the same formats as the relay's files
/// (a Kubernetes secret with two data keys, for example). Read at start and again every
/// <c>ListenerSecurity__FileCheckInterval</c> by <see cref="WriteAuthenticator"/>, which answers 503 until
/// the first read succeeds (daprd may start after the app) and keeps the last good set when a read fails.
/// </summary>
public sealed class DaprWriteCredentialSource(DaprClient dapr, IOptions<IngressOptions> options) : IWriteCredentialSource
{
    public const string BearerTokensKey = "bearer-tokens";
    public const string BasicAuthKey = "basic-auth";

    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);
    private readonly IngressOptions _options = options.Value;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(_options.WriteAuthSecret);

    public string Description => $"secret '{_options.WriteAuthSecret}' of the Dapr secret store '{_options.SecretStore}'";

    public async Task<WriteCredentialTexts> ReadAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReadTimeout);
        var values = await dapr.GetSecretAsync(_options.SecretStore, _options.WriteAuthSecret!, cancellationToken: timeout.Token);
        var bearer = values.TryGetValue(BearerTokensKey, out var b) ? b : null;
        var basic = values.TryGetValue(BasicAuthKey, out var u) ? u : null;
        if (bearer is null && basic is null)
        {
            throw new InvalidOperationException($"{Description} has neither a '{BearerTokensKey}' nor a '{BasicAuthKey}' key");
        }

        return new WriteCredentialTexts(bearer, basic, $"{Description} key '{BearerTokensKey}'", $"{Description} key '{BasicAuthKey}'");
    }
}
