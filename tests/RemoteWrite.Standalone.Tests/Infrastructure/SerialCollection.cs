namespace RemoteWrite.Standalone.Tests.Infrastructure;

/// <summary>Tests that must not run beside others: exact metric values, the process-wide environment, timing-sensitive end-to-end runs.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial";
}
