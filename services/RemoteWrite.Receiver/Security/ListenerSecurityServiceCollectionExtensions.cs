using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RemoteWrite.Core.Configuration;
using RemoteWrite.Hosting;

namespace RemoteWrite.Receiver.Security;

public static class ListenerSecurityServiceCollectionExtensions
{
    /// <summary>
    /// Write authentication and TLS on the listening port, for every receiver (relay and ingress):
    /// options from section <c>ListenerSecurity</c> and the environment names, checked at start; the
    /// authenticator (files by default; a host may register another <see cref="IWriteCredentialSource"/>);
    /// and Kestrel's endpoints made HTTPS when a certificate is set — every endpoint, whether from
    /// <c>Listen*</c> or from URLs, since this runs before the host's own Kestrel configuration.
    /// </summary>
    public static IServiceCollection AddListenerSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ListenerSecurityOptions>(configuration.GetSection(ListenerSecurityOptions.SectionName))
            .Configure<IConfiguration>(ListenerSecurityOptions.ApplyEnvironment);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IWriteCredentialSource, FileWriteCredentialSource>();
        services.TryAddSingleton<WriteAuthenticator>();
        services.TryAddSingleton<WriteAuthMetrics>();
        services.TryAddSingleton<ListenerCertificate>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, WriteAuthenticatorHost>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<KestrelServerOptions>, ListenerTlsSetup>());
        services.AddHealthChecks().AddCheck<WriteCredentialsHealthCheck>("write-credentials", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return services;
    }

    /// <summary>Starts the authenticator's loading and polling with the host (a distinct type, so TryAddEnumerable can dedupe it).</summary>
    private sealed class WriteAuthenticatorHost(WriteAuthenticator authenticator) : Microsoft.Extensions.Hosting.IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => authenticator.StartAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => authenticator.StopAsync(cancellationToken);
    }

    /// <summary>Every Kestrel endpoint becomes HTTPS when <c>TLS_CERT_FILE</c> is set: the one place that configures Kestrel's TLS.</summary>
    private sealed class ListenerTlsSetup(IOptions<ListenerSecurityOptions> options, IServiceProvider services) : IConfigureOptions<KestrelServerOptions>
    {
        public void Configure(KestrelServerOptions kestrel)
        {
            // Kestrel is built with the WebApplication, before the start-up check prints the problems and exits 1.
            ListenerSecurityOptions value;
            try
            {
                value = options.Value;
            }
            catch (OptionsValidationException)
            {
                return;
            }

            if (!value.HasTls)
            {
                return;
            }

            var certificate = services.GetRequiredService<ListenerCertificate>();
            kestrel.ConfigureEndpointDefaults(certificate.UseHttps);
        }
    }
}
