namespace RemoteWrite.Dapr.Tests.Infrastructure;

/// <summary>One stack for the end-to-end tests (starting five processes is the slow part); each test leaves it running and fault-free.</summary>
public sealed class StackFixture : IAsyncLifetime
{
    public DaprStack Stack { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Where redis-server is missing the tests skip (RedisFact) and the stack is not started.
        if (RedisFactAttribute.Runs)
        {
            Stack = await DaprStack.StartAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (Stack is not null)
        {
            await Stack.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "dapr stack";
}
