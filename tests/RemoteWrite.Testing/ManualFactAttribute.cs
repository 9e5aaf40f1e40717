namespace RemoteWrite.Testing;

/// <summary>A measurement run by hand (not in CI): skipped unless the environment variable <paramref name="variable"/> is set.</summary>
public sealed class ManualFactAttribute : FactAttribute
{
    public ManualFactAttribute(string variable)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)))
        {
            Skip = $"a measurement run by hand: set {variable}=1 (Release build, see the test's summary)";
        }
    }
}
