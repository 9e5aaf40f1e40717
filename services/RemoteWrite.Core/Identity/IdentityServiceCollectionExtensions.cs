using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RemoteWrite.Core.Configuration;

namespace RemoteWrite.Core.Identity;

public static class IdentityServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IdentityOptions"/> (section <c>Identity</c> and the side car's variables, validated at start), the
    /// credential factory and the background <see cref="AccessTokenKeeper"/> as
    /// <see cref="IAccessTokenSource"/> and <see cref="ITokenStatus"/>. TryAdd throughout: register
    /// a fake <see cref="ITokenCredentialFactory"/> or <see cref="IAccessTokenSource"/> first to swap it.
    /// </summary>
    public static OptionsBuilder<IdentityOptions> AddAzureIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        // The side car's variables (IDENTITY_TYPE, AZURE_CLIENT_ID …) win over the section's keys.
        var options = services.AddValidatedOptions<IdentityOptions>(configuration.GetSection(IdentityOptions.SectionName))
            .Configure(o => SideCarEnvironment.ApplyIdentity(o, configuration));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ITokenCredentialFactory>(_ => new AzureCredentialFactory());
        services.TryAddSingleton<TokenMetrics>();
        services.TryAddSingleton<AccessTokenKeeper>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, AccessTokenKeeper>(sp => sp.GetRequiredService<AccessTokenKeeper>()));
        services.TryAddSingleton<IAccessTokenSource>(sp => sp.GetRequiredService<AccessTokenKeeper>());
        services.TryAddSingleton<ITokenStatus>(sp => sp.GetRequiredService<AccessTokenKeeper>());
        services.TryAddSingleton<Azure.Check.ICheckTokenSource, CredentialCheckTokenSource>();
        return options;
    }
}
