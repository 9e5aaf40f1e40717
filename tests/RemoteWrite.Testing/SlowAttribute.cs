using Xunit.Abstractions;
using Xunit.Sdk;

namespace RemoteWrite.Testing;

/// <summary>
/// Marks a test (or class) of the slow tier: real processes, real Prometheus or Redis, loads and
/// faults that take tens of seconds. The fast tier a developer runs is
/// <c>dotnet test RemoteWrite.sln --filter "Category!=Slow&amp;Category!=Fuzz"</c>; <c>.ci/run</c> runs every tier.
/// </summary>
[TraitDiscoverer("RemoteWrite.Testing.SlowTraitDiscoverer", "RemoteWrite.Testing")]
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class SlowAttribute : Attribute, ITraitAttribute
{
    public const string Category = "Slow";
}

public sealed class SlowTraitDiscoverer : ITraitDiscoverer
{
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute) =>
        [new("Category", SlowAttribute.Category)];
}
