using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RemoteWrite.Core.Configuration;

/// <summary>One options class registered with <c>AddValidatedOptions</c>: the start-up check reads them all.</summary>
public interface IValidatedOptionsRegistration
{
    /// <summary>Every problem of this options class, one line each (binding errors included).</summary>
    IEnumerable<string> Problems(IServiceProvider services);
}

public sealed class ValidatedOptionsRegistration<T> : IValidatedOptionsRegistration
    where T : class, IValidatedOptions
{
    public IEnumerable<string> Problems(IServiceProvider services)
    {
        try
        {
            _ = services.GetRequiredService<IOptions<T>>().Value;
            return [];
        }
        catch (OptionsValidationException e)
        {
            return e.Failures;
        }
        catch (InvalidOperationException e)
        {
            // A value the binder could not convert (e.g. RemoteWrite__MaxPartBytes=abc).
            return [e.Message];
        }
    }
}
