namespace RemoteWrite.Core.Configuration;

/// <summary>Options that can list every problem with their values, one line each.</summary>
public interface IValidatedOptions
{
    IEnumerable<string> Validate();
}
