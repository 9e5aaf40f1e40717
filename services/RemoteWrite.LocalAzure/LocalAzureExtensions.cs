using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RemoteWrite.LocalAzure.Faults;
using RemoteWrite.LocalAzure.Identity;
using RemoteWrite.LocalAzure.Ingestion;
using RemoteWrite.LocalAzure.Options;
using RemoteWrite.LocalAzure.Tls;

namespace RemoteWrite.LocalAzure;

/// <summary>Registers the stand-in's services, options and listeners.</summary>
public static class LocalAzureExtensions
{
    public static WebApplicationBuilder AddLocalAzure(this WebApplicationBuilder builder)
    {
        var services = builder.Services;

        // Result execution logs every answer at Information: noise on the ingestion path.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Http.Result", LogLevel.Warning);
        services.AddOptions<LocalAzureOptions>()
            .Bind(builder.Configuration.GetSection(LocalAzureOptions.Section))
            .Configure<IConfiguration>((o, config) => o.ForwardUrl ??= NullIfEmpty(config["FORWARD_URL"]))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LocalAzureOptions>, PortsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LocalAzureOptions>, LimitsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LocalAzureOptions>, AppsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SigningKeys>();
        services.TryAddSingleton<AppRegistry>();
        services.TryAddSingleton<TokenIssuanceStats>();
        services.TryAddSingleton<AccessTokenIssuer>();
        services.TryAddSingleton<AccessTokenValidator>();
        services.TryAddSingleton<ClientCredentialVerifier>();
        services.TryAddSingleton<FederatedTokenMinter>();
        services.TryAddSingleton<LocalCertificateAuthority>();
        services.TryAddSingleton<SeriesStore>();
        services.TryAddSingleton<IngestionStats>();
        services.TryAddSingleton<RoleAssignments>();
        services.TryAddSingleton<IngestionRateLimiter>();
        services.TryAddSingleton<FaultInjector>();
        services.TryAddSingleton<LocalAzureMetrics>();
        services.TryAddSingleton<RemoteWriteForwarder>();
        services.AddHostedService(sp => sp.GetRequiredService<RemoteWriteForwarder>());
        services.AddHttpClient(nameof(RemoteWriteForwarder));

        // Two listeners: plain http (ingestion, IMDS, admin) and https (authority, ingestion; CONTRACT §2a).
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var o = kestrel.ApplicationServices.GetRequiredService<IOptions<LocalAzureOptions>>().Value;
            var address = IPAddress.Parse(o.ListenAddress);
            kestrel.Listen(address, o.HttpPort);
            kestrel.Listen(address, o.HttpsPort, listen => listen.UseHttps(kestrel.ApplicationServices.GetRequiredService<LocalCertificateAuthority>().ServerCertificate));
        });
        return builder;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
