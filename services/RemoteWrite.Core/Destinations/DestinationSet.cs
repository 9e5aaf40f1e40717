using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemoteWrite.Core.Identity;

namespace RemoteWrite.Core.Destinations;

/// <summary>
/// Every destination of <c>DESTINATIONS_FILE</c>, built once from the validated options: each with
/// its own <see cref="AccessTokenKeeper"/> (started and stopped with the host) and endpoints. It is
/// also readiness' token status: ready while every destination holds a token.
/// </summary>
public sealed class DestinationSet : IHostedService, ITokenStatus, IDisposable
{
    public DestinationSet(IOptions<DestinationsOptions> options, ITokenCredentialFactory credentials, TokenMetrics tokenMetrics, DestinationMetrics metrics, TimeProvider time, ILoggerFactory loggers)
    {
        var o = options.Value;
        var all = new List<Destination>();
        foreach (var settings in o.Destinations)
        {
            var keeper = new AccessTokenKeeper(credentials, Options.Create(settings.Identity), time, tokenMetrics.ForDestination(settings.Name), loggers.CreateLogger<AccessTokenKeeper>());
            var endpoints = settings.Endpoints.Select(url => new DestinationEndpoint(settings.Name, url, settings.MaxRequestsPerMinute, keeper, time, metrics)).ToList();
            var destination = new Destination(settings, keeper, endpoints);
            all.Add(destination);
        }

        All = all;
        Router = new DestinationRouter<Destination>(o.Mode, all, d => d.Name, d => d.Route, o.DefaultDestination);
    }

    public IReadOnlyList<Destination> All { get; }

    /// <summary>Which of these destinations a request reaches.</summary>
    public DestinationRouter<Destination> Router { get; }

    public bool HasToken => All.All(d => d.Tokens.HasToken);

    public DateTimeOffset? ExpiresOn => All.Min(d => d.Tokens.ExpiresOn);

    public string? LastError => All.FirstOrDefault(d => !d.Tokens.HasToken) is { } d
        ? $"destination '{d.Name}': {d.Tokens.LastError ?? "no Entra ID token yet"}"
        : null;

    public Destination? Find(string name) => Router.Find(name);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var destination in All)
        {
            await destination.Tokens.StartAsync(cancellationToken);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var destination in All)
        {
            await destination.Tokens.StopAsync(cancellationToken);
        }
    }

    public void Dispose()
    {
        foreach (var destination in All)
        {
            destination.Dispose();
        }
    }
}
