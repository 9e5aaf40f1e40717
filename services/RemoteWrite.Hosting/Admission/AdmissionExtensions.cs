using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RemoteWrite.Core.Configuration;

namespace RemoteWrite.Hosting.Admission;

public static class AdmissionExtensions
{
    /// <summary>Registers the service's one <see cref="InFlightBudget"/> (section <c>Admission</c>).</summary>
    public static IServiceCollection AddAdmissionControl(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<AdmissionOptions>(configuration.GetSection(AdmissionOptions.SectionName));
        services.TryAddSingleton<InFlightBudget>();
        return services;
    }

    /// <summary>
    /// Puts the endpoint under the service's budget: a request is admitted (or answered 503) before
    /// its body is read, holding <paramref name="heldPerBodyByte"/> bytes per declared body byte.
    /// </summary>
    public static TBuilder RequireAdmission<TBuilder>(this TBuilder endpoint, double heldPerBodyByte = 1)
        where TBuilder : IEndpointConventionBuilder =>
        endpoint.AddEndpointFilterFactory((factory, next) =>
        {
            var services = factory.ApplicationServices;
            var filter = new AdmissionFilter(services.GetRequiredService<InFlightBudget>(), services.GetRequiredService<IOptions<AdmissionOptions>>(), heldPerBodyByte);
            return context => filter.InvokeAsync(context, next);
        });

    /// <summary>The request's lease, or null when its endpoint is not under admission.</summary>
    public static AdmissionLease? AdmissionLease(this HttpContext context) => context.Features.Get<AdmissionLease>();
}
