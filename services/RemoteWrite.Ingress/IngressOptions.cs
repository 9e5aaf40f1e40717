using RemoteWrite.Core.Configuration;
using RemoteWrite.Dapr;

namespace RemoteWrite.Ingress;

/// <summary>Where and how the ingress publishes; section <c>Ingress</c> (services/RemoteWrite.Ingress/README.md).</summary>
public sealed class IngressOptions : IValidatedOptions
{
    public const string SectionName = "Ingress";

    public string PubSubName { get; set; } = DaprNames.PubSub;

    public string Topic { get; set; } = DaprNames.Topic;

    /// <summary>The destination written into each message's metadata, for the forwarder.</summary>
    public string Destination { get; set; } = "default";

    /// <summary>Largest message published (compressed bytes, <see cref="HandOff.MaxMessageBytesKey"/>): what the broker accepts. A request above it is cut at series boundaries.</summary>
    public int MaxMessageBytes { get; set; } = HandOff.DefaultMaxMessageBytes;


    /// <summary>
    /// A secret of <see cref="SecretStore"/> holding the write credentials (keys <c>bearer-tokens</c>,
    /// <c>basic-auth</c>); unset: the files of <c>WRITE_BEARER_TOKENS_FILE</c> / <c>WRITE_BASIC_AUTH_FILE</c>, if any.
    /// </summary>
    public string? WriteAuthSecret { get; set; }

    /// <summary>The Dapr secret store <see cref="WriteAuthSecret"/> is read from.</summary>
    public string SecretStore { get; set; } = DaprNames.SecretStore;

    public IEnumerable<string> Validate()
    {
        if (!string.IsNullOrWhiteSpace(WriteAuthSecret) && string.IsNullOrWhiteSpace(SecretStore))
        {
            yield return "Ingress__SecretStore must be set when Ingress__WriteAuthSecret is.";
        }

        if (string.IsNullOrWhiteSpace(PubSubName))
        {
            yield return "Ingress__PubSubName must be set.";
        }

        if (string.IsNullOrWhiteSpace(Topic))
        {
            yield return "Ingress__Topic must be set.";
        }

        if (string.IsNullOrWhiteSpace(Destination))
        {
            yield return "Ingress__Destination must be set.";
        }

        if (MaxMessageBytes < 1024)
        {
            yield return $"Ingress__MaxMessageBytes must be at least 1024 (is {MaxMessageBytes}).";
        }

    }
}
