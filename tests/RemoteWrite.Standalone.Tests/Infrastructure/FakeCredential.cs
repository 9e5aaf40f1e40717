using Azure.Core;
using RemoteWrite.Core.Identity;

namespace RemoteWrite.Standalone.Tests.Infrastructure;

/// <summary>A credential whose answers the test scripts; counts calls. Used through <see cref="FakeCredentialFactory"/>.</summary>
public sealed class FakeCredential(Func<int, AccessToken> answer) : TokenCredential
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        answer(Interlocked.Increment(ref _calls));

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}

/// <summary>Builds credentials through a script; records how many were built and the options each saw.</summary>
public sealed class FakeCredentialFactory(Func<IdentityOptions, int, TokenCredential> create) : ITokenCredentialFactory
{
    private int _built;

    public int Built => Volatile.Read(ref _built);

    /// <summary>Every credential hands out tokens valid for an hour from <paramref name="time"/>.</summary>
    public static FakeCredentialFactory Always(TimeProvider time, string prefix = "token") =>
        new((_, n) => new FakeCredential(c => new AccessToken($"{prefix}-{n}-{c}", time.GetUtcNow().AddHours(1))));

    public TokenCredential Create(IdentityOptions options) => create(options, Interlocked.Increment(ref _built));
}
