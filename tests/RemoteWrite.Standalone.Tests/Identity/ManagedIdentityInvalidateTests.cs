using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RemoteWrite.Core.Identity;
using RemoteWrite.Standalone.Tests.Infrastructure;

namespace RemoteWrite.Standalone.Tests.Identity;

/// <summary>
/// <see cref="IAccessTokenSource.Invalidate"/> with a real <c>ManagedIdentityCredential</c> against the
/// stand-in's IMDS: MSAL shares one token cache across managed identity credentials, so only a
/// request with claims (<see cref="FreshTokenRequest"/>) reaches IMDS again.
/// </summary>
public sealed class ManagedIdentityInvalidateTests(ImdsStandInFixture fixture) : IClassFixture<ImdsStandInFixture>, IDisposable
{
    private const string Scope = "https://monitor.azure.com/.default";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly SimpleMeterFactory _meters = new();

    [Fact]
    public async Task A_new_credential_serves_MSALs_shared_cache_and_only_claims_reach_IMDS()
    {
        var first = await Credential().GetTokenAsync(new TokenRequestContext([Scope]), default);
        var issued = await fixture.Stand.TokensIssuedAsync("imds");
        Assert.True(issued > 0);

        var again = await Credential().GetTokenAsync(new TokenRequestContext([Scope]), default);
        Assert.Equal(first.Token, again.Token);
        Assert.Equal(issued, await fixture.Stand.TokensIssuedAsync("imds"));

        await Credential().GetTokenAsync(FreshTokenRequest.For(Scope, DateTimeOffset.UtcNow), default);
        Assert.Equal(issued + 1, await fixture.Stand.TokensIssuedAsync("imds"));
    }

    [Fact]
    public async Task Invalidate_fetches_a_fresh_token_from_IMDS_and_stops_handing_out_the_refused_one()
    {
        using var keeper = new AccessTokenKeeper(
            new AzureCredentialFactory(),
            Options.Create(new IdentityOptions { Type = IdentityType.SystemAssigned, MinTokenAgeToInvalidate = TimeSpan.Zero }),
            TimeProvider.System,
            new TokenMetrics(_meters),
            NullLogger<AccessTokenKeeper>.Instance);
        await keeper.StartAsync(default);
        Assert.True(await Poll.UntilAsync(() => keeper.HasToken, Wait));
        var refused = (await keeper.GetTokenAsync(default))!.Value;
        var issued = await fixture.Stand.TokensIssuedAsync("imds");

        // The stand-in's tokens carry whole seconds (iat/exp): let one pass so a fresh token differs.
        var issuedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.True(await Poll.UntilAsync(() => DateTimeOffset.UtcNow.ToUnixTimeSeconds() > issuedAt, Wait));
        keeper.Invalidate(refused);
        using var timeout = new CancellationTokenSource(Wait);
        var fresh = await keeper.GetTokenAsync(timeout.Token);

        Assert.NotNull(fresh);
        Assert.NotEqual(refused.Token, fresh.Value.Token);
        Assert.Equal(issued + 1, await fixture.Stand.TokensIssuedAsync("imds"));
        Assert.Equal(2, keeper.CredentialsBuilt);
        await keeper.StopAsync(default);
    }

    private static ManagedIdentityCredential Credential() => new(new ManagedIdentityCredentialOptions(ManagedIdentityId.SystemAssigned));

    public void Dispose() => _meters.Dispose();
}
