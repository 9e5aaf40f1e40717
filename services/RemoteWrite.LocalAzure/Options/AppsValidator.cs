using Microsoft.Extensions.Options;

namespace RemoteWrite.LocalAzure.Options;

/// <summary>Each configured app needs a client id and at least one usable credential.</summary>
internal sealed class AppsValidator : IValidateOptions<LocalAzureOptions>
{
    public ValidateOptionsResult Validate(string? name, LocalAzureOptions options)
    {
        var errors = new List<string>();
        for (var i = 0; i < options.Apps.Count; i++)
        {
            var app = options.Apps[i];
            var prefix = $"LocalAzure:Apps:{i}";
            if (string.IsNullOrWhiteSpace(app.ClientId))
            {
                errors.Add($"{prefix}:ClientId is required.");
            }

            var hasFederated = !string.IsNullOrWhiteSpace(app.FederatedIssuer) || !string.IsNullOrWhiteSpace(app.FederatedSubject);
            if (hasFederated && (string.IsNullOrWhiteSpace(app.FederatedIssuer) || string.IsNullOrWhiteSpace(app.FederatedSubject)))
            {
                errors.Add($"{prefix}: FederatedIssuer and FederatedSubject go together.");
            }

            if (!string.IsNullOrWhiteSpace(app.CertificatePath) && !File.Exists(app.CertificatePath))
            {
                errors.Add($"{prefix}:CertificatePath '{app.CertificatePath}' does not exist.");
            }

            if (string.IsNullOrWhiteSpace(app.ClientSecret) && string.IsNullOrWhiteSpace(app.CertificatePath) && !hasFederated)
            {
                errors.Add($"{prefix} has no credential (ClientSecret, CertificatePath or FederatedIssuer+FederatedSubject).");
            }
        }

        foreach (var id in options.ManagedIdentities)
        {
            if (string.IsNullOrWhiteSpace(id))
            {
                errors.Add("LocalAzure:ManagedIdentities must not hold empty client ids.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
