using System.Collections.Concurrent;
using Azure.Core;
using RemoteWrite.Core.Identity;

namespace RemoteWrite.Standalone.Tests.Infrastructure;

/// <summary>A token source that hands out "token-1", then "token-2" after each invalidation; or none.</summary>
public sealed class FakeTokenSource : IAccessTokenSource, ITokenStatus
{
    private int _generation = 1;

    public bool Empty { get; set; }

    public ConcurrentQueue<string> Invalidated { get; } = new();

    public bool HasToken => !Empty;

    public DateTimeOffset? ExpiresOn => Empty ? null : DateTimeOffset.UtcNow.AddHours(1);

    public string? LastError => Empty ? "scripted: no token" : null;

    public ValueTask<AccessToken?> GetTokenAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<AccessToken?>(Empty ? null : new AccessToken($"token-{Volatile.Read(ref _generation)}", DateTimeOffset.UtcNow.AddHours(1)));

    public void Invalidate(AccessToken rejected)
    {
        Invalidated.Enqueue(rejected.Token);
        Interlocked.Increment(ref _generation);
    }
}
