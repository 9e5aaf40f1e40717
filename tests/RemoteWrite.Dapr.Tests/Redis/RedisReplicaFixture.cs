namespace RemoteWrite.Dapr.Tests.Redis;

/// <summary>Two ingresses and three forwarders on one Redis, shared by the replica tests (starting seven processes is the slow part).</summary>
public sealed class RedisReplicaFixture : IAsyncLifetime
{
    public RedisReplicaStack Stack { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Where redis-server is missing the tests skip (RedisFact) and the stack is not started.
        if (RedisFactAttribute.Runs)
        {
            Stack = await RedisReplicaStack.StartAsync(ingresses: 2, forwarders: 3);
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
public sealed class RedisReplicaCollection : ICollectionFixture<RedisReplicaFixture>
{
    public const string Name = "redis replicas";
}
