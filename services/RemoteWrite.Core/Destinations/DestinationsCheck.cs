using Azure.Core;
using Microsoft.Extensions.Options;
using RemoteWrite.Core.Azure.Check;
using RemoteWrite.Core.Identity;

namespace RemoteWrite.Core.Destinations;

/// <summary>
/// The <c>check</c> command with DESTINATIONS_FILE: every destination with every endpoint, each
/// destination's token straight from its own identity (the keepers' background loops do not run).
/// </summary>
public sealed class DestinationsCheck(IOptions<DestinationsOptions> options, ITokenCredentialFactory factory) : ICheckTargets, ICheckTokenSource
{
    public IReadOnlyList<CheckTarget> Targets() =>
        [.. options.Value.Destinations.Select(d => new CheckTarget(d.Name, [.. d.Endpoints.Select(e => e.OriginalString)]))];

    public async Task<AccessToken> GetTokenAsync(string destination, CancellationToken cancellationToken)
    {
        var identity = options.Value.Destinations.First(d => d.Name == destination).Identity;
        return await factory.Create(identity).GetTokenAsync(new TokenRequestContext([identity.Scope]), cancellationToken);
    }
}
