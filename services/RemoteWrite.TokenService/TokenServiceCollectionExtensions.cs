using Dapr.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RemoteWrite.Core.Configuration;
using RemoteWrite.Core.Identity;
using RemoteWrite.Dapr;

namespace RemoteWrite.TokenService;

public static class TokenServiceCollectionExtensions
{
    /// <summary>
    /// The token service: its options, the shared identity (section <c>Identity</c>) with the Dapr
    /// secret store as source of application credentials, readiness on the sidecar and on holding a
    /// token, and the app-token authorization policy "Dapr".
    /// </summary>
    public static IServiceCollection AddTokenService(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<TokenServiceOptions>(configuration.GetSection(TokenServiceOptions.SectionName))
            .PostConfigure(o => o.AppApiTokenSet = !string.IsNullOrEmpty(configuration["APP_API_TOKEN"]));
        services.AddDaprSidecar(outbound: false);

        // Registered before AddAzureIdentity, whose TryAdd then keeps it.
        services.TryAddSingleton(_ => new AzureCredentialFactory());
        services.TryAddSingleton<ITokenCredentialFactory, DaprSecretCredentialFactory>();
        var useStore = configuration.GetValue(TokenServiceOptions.SectionName + ":" + nameof(TokenServiceOptions.UseSecretStore), true);
        services.AddAzureIdentity(configuration).PostConfigure(identity =>
        {
            // An application identity with no local secret or certificate: the material is in the secret store.
            if (useStore && identity.Type == IdentityType.AadApplication
                && string.IsNullOrWhiteSpace(identity.ClientSecret) && string.IsNullOrWhiteSpace(identity.ClientSecretFile) && string.IsNullOrWhiteSpace(identity.CertificatePath))
            {
                identity.ClientSecret = DaprSecretCredentialFactory.FromSecretStore;
            }
        });
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            "token", sp => new TokenHealthCheck(sp.GetRequiredService<ITokenStatus>()), HealthStatus.Unhealthy, ["ready"]));

        services.AddAuthentication().AddDapr();
        services.AddAuthorization(o => o.AddDapr());
        return services;
    }
}
