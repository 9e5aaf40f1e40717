using System.Net;
using Microsoft.Extensions.Options;

namespace RemoteWrite.LocalAzure.Options;

/// <summary>Listen address and ports must be usable.</summary>
internal sealed class PortsValidator : IValidateOptions<LocalAzureOptions>
{
    public ValidateOptionsResult Validate(string? name, LocalAzureOptions options)
    {
        var errors = new List<string>();
        if (!IPAddress.TryParse(options.ListenAddress, out _))
        {
            errors.Add($"LocalAzure:ListenAddress '{options.ListenAddress}' is not an IP address.");
        }

        if (options.HttpPort is < 0 or > 65535)
        {
            errors.Add("LocalAzure:HttpPort must be 0..65535.");
        }

        if (options.HttpsPort is < 0 or > 65535)
        {
            errors.Add("LocalAzure:HttpsPort must be 0..65535.");
        }

        if (options.HttpPort != 0 && options.HttpPort == options.HttpsPort)
        {
            errors.Add("LocalAzure:HttpPort and HttpsPort must differ.");
        }

        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            errors.Add("LocalAzure:DataDirectory is required.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
