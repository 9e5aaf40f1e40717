using RemoteWrite.Core.Configuration;
using RemoteWrite.Dapr;

namespace RemoteWrite.Ingress;

/// <summary>Where the ingress publishes; section <c>Ingress</c>. Part size is <c>RemoteWrite:MaxPartBytes</c>.</summary>
public sealed class IngressOptions : IValidatedOptions
{
    public const string SectionName = "Ingress";

    public string PubSubName { get; set; } = DaprNames.PubSub;

    public string Topic { get; set; } = DaprNames.Topic;

    /// <summary>The destination written into each message's metadata, for the forwarder.</summary>
    public string Destination { get; set; } = "default";

    /// <summary>How long one publish may take before the sender is told to retry (503).</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(PubSubName))
        {
            yield return "Ingress:PubSubName must be set.";
        }

        if (string.IsNullOrWhiteSpace(Topic))
        {
            yield return "Ingress:Topic must be set.";
        }

        if (string.IsNullOrWhiteSpace(Destination))
        {
            yield return "Ingress:Destination must be set.";
        }

        if (PublishTimeout <= TimeSpan.Zero)
        {
            yield return "Ingress:PublishTimeout must be positive.";
        }
    }
}
