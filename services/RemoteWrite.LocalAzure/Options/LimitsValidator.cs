using Microsoft.Extensions.Options;

namespace RemoteWrite.LocalAzure.Options;

/// <summary>Limits and lifetimes must be positive (or 0 where 0 means off).</summary>
internal sealed class LimitsValidator : IValidateOptions<LocalAzureOptions>
{
    public ValidateOptionsResult Validate(string? name, LocalAzureOptions options)
    {
        var errors = new List<string>();
        if (options.TokenLifetimeSeconds < 1)
        {
            errors.Add("LocalAzure:TokenLifetimeSeconds must be at least 1.");
        }

        if (options.MaxContentLength < 1)
        {
            errors.Add("LocalAzure:MaxContentLength must be at least 1.");
        }

        if (options.MaxDecodedLength < 1)
        {
            errors.Add("LocalAzure:MaxDecodedLength must be at least 1.");
        }

        if (options.SampleWindowMinutes < 1)
        {
            errors.Add("LocalAzure:SampleWindowMinutes must be at least 1.");
        }

        if (options.RequestsPerMinute < 0 || options.SamplesPerMinute < 0 || options.RoleAssignmentDelaySeconds < 0)
        {
            errors.Add("LocalAzure:RequestsPerMinute, SamplesPerMinute and RoleAssignmentDelaySeconds must not be negative.");
        }

        if (!string.IsNullOrWhiteSpace(options.ForwardUrl) && !Uri.TryCreate(options.ForwardUrl, UriKind.Absolute, out _))
        {
            errors.Add("LocalAzure:ForwardUrl must be an absolute URL.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
