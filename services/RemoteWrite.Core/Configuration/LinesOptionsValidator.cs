using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace RemoteWrite.Core.Configuration;

/// <summary>
/// Reports every line of <see cref="IValidatedOptions.Validate"/> so start-up lists all problems
/// at once (as YARP's ConfigValidator collects every error), not the first one only.
/// </summary>
public sealed class LinesOptionsValidator<T> : IValidateOptions<T>
    where T : class, IValidatedOptions
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var lines = options.Validate().ToList();
        return lines.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(lines);
    }
}

public static class ValidatedOptionsExtensions
{
    /// <summary>
    /// Binds <typeparamref name="T"/> and validates it at start with <see cref="LinesOptionsValidator{T}"/>;
    /// registers it for the start-up check that prints every problem (<see cref="ValidatedOptionsRegistration{T}"/>).
    /// </summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration section)
        where T : class, IValidatedOptions
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>, LinesOptionsValidator<T>>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidatedOptionsRegistration, ValidatedOptionsRegistration<T>>());
        return services.AddOptions<T>().Bind(section).ValidateOnStart();
    }
}
