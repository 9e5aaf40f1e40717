using RemoteWrite.Core.Identity;

namespace RemoteWrite.Core.Azure;

/// <summary>
/// Where one part is sent: an ingestion URL, the token source of the identity that may write there,
/// the names its metrics carry (none for the single destination of <c>INGESTION_URL</c>), and who
/// hears each answer (an endpoint's health, <see cref="Destinations.DestinationEndpoint"/>).
/// </summary>
public sealed record SendTarget(Uri Url, IAccessTokenSource Tokens, string? Destination = null, string? Endpoint = null, ISendObserver? Observer = null);

/// <summary>Hears the answer to every POST to a <see cref="SendTarget"/> (e.g. to avoid an endpoint that answers 429/5xx).</summary>
public interface ISendObserver
{
    void Answered(in SendResult result);
}
