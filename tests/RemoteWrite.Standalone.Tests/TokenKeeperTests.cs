using Azure.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RemoteWrite.Core.Identity;
using RemoteWrite.Standalone.Tests.Infrastructure;

namespace RemoteWrite.Standalone.Tests;

/// <summary>The background token keeper on a fake clock.</summary>
public sealed class TokenKeeperTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2025-01-01T00:00:00Z"));
    private readonly List<IDisposable> _disposables = [];

    private AccessTokenKeeper Keeper(FakeCredentialFactory factory, IdentityOptions? options = null)
    {
        options ??= new IdentityOptions { Type = IdentityType.SystemAssigned };
        var meters = new SimpleMeterFactory();
        _disposables.Add(meters);
        var keeper = new AccessTokenKeeper(factory, Options.Create(options), _time, new TokenMetrics(meters), NullLogger<AccessTokenKeeper>.Instance);
        _disposables.Add(keeper);
        return keeper;
    }

    // Moves the fake clock in small steps until the condition holds (the keeper runs on real threads).
    private async Task<bool> AdvanceUntil(Func<bool> condition, TimeSpan step, TimeSpan? maxFake = null)
    {
        var limit = _time.GetUtcNow() + (maxFake ?? TimeSpan.FromDays(1));
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline || _time.GetUtcNow() >= limit)
            {
                return false;
            }

            _time.Advance(step);
            await Task.Delay(5);
        }

        return true;
    }

    [Fact]
    public async Task Fetches_at_start_and_again_at_half_the_lifetime_not_before()
    {
        var credential = new FakeCredential(n => new AccessToken($"t{n}", _time.GetUtcNow().AddMinutes(60)));
        var keeper = Keeper(new FakeCredentialFactory((_, _) => credential));
        await keeper.StartAsync(default);

        Assert.True(await Poll.UntilAsync(() => keeper.HasToken, Wait));
        Assert.Equal("t1", (await keeper.GetTokenAsync(default))!.Value.Token);

        // 29 minutes in: still the first token.
        await AdvanceUntil(() => false, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(29));
        Assert.Equal(1, credential.Calls);

        Assert.True(await AdvanceUntil(() => credential.Calls == 2, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(2)));
        Assert.True(await Poll.UntilAsync(() => keeper.GetTokenAsync(default).AsTask().Result?.Token == "t2", Wait));
    }

    [Fact]
    public void Refresh_comes_before_the_last_five_minutes_and_at_the_configured_share()
    {
        var keeper = Keeper(FakeCredentialFactory.Always(_time), new IdentityOptions { RefreshAtPercentOfLifetime = 95 });
        var now = _time.GetUtcNow();

        Assert.Equal(TimeSpan.FromMinutes(55), keeper.NextRefresh(new AccessToken("t", now.AddMinutes(60)), now));
        Assert.Equal(TimeSpan.FromMinutes(1), keeper.NextRefresh(new AccessToken("t", now.AddMinutes(6)), now));
        Assert.Equal(TimeSpan.FromMinutes(3.8), keeper.NextRefresh(new AccessToken("t", now.AddMinutes(4)), now));
        Assert.Equal(TimeSpan.FromMinutes(10), keeper.NextRefresh(new AccessToken("t", now.AddMinutes(60), refreshOn: now.AddMinutes(10)), now));
    }

    [Fact]
    public async Task A_failing_refresh_backs_off_exponentially_and_never_gives_up()
    {
        var credential = new FakeCredential(n => n <= 12
            ? throw new InvalidOperationException("AADSTS7000215: Invalid client secret provided.")
            : new AccessToken("finally", _time.GetUtcNow().AddHours(1)));
        var keeper = Keeper(new FakeCredentialFactory((_, _) => credential), new IdentityOptions { MinRetryDelay = TimeSpan.FromSeconds(2), MaxRetryDelay = TimeSpan.FromMinutes(1) });
        await keeper.StartAsync(default);
        Assert.True(await Poll.UntilAsync(() => credential.Calls == 1, Wait));
        Assert.False(keeper.HasToken);
        Assert.Contains("AADSTS7000215", keeper.LastError);

        // Second attempt after 2 s (+ up to 20% jitter), not before.
        await AdvanceUntil(() => false, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1.75));
        Assert.Equal(1, credential.Calls);
        Assert.True(await AdvanceUntil(() => credential.Calls == 2, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1)));

        // Third after 4 s more: the delay doubled.
        var before = _time.GetUtcNow();
        Assert.True(await AdvanceUntil(() => credential.Calls == 3, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(6)));
        Assert.InRange((_time.GetUtcNow() - before).TotalSeconds, 3.9, 4.9);

        // It keeps trying (capped at a minute) until it succeeds.
        Assert.True(await AdvanceUntil(() => keeper.HasToken, TimeSpan.FromSeconds(2), TimeSpan.FromHours(1)));
        Assert.Equal(13, credential.Calls);
        Assert.Null(keeper.LastError);
    }

    [Fact]
    public void Backoff_is_capped()
    {
        var keeper = Keeper(FakeCredentialFactory.Always(_time), new IdentityOptions { MinRetryDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromSeconds(30) });
        Assert.InRange(keeper.Backoff(1).TotalSeconds, 1, 1.2);
        Assert.InRange(keeper.Backoff(3).TotalSeconds, 4, 4.8);
        Assert.InRange(keeper.Backoff(100).TotalSeconds, 30, 36);
    }

    [Fact]
    public async Task The_token_is_lost_when_it_expires_and_no_refresh_succeeds()
    {
        var credential = new FakeCredential(n => n == 1 ? new AccessToken("short", _time.GetUtcNow().AddMinutes(2)) : throw new InvalidOperationException("Entra ID down"));
        var keeper = Keeper(new FakeCredentialFactory((_, _) => credential));
        await keeper.StartAsync(default);
        Assert.True(await Poll.UntilAsync(() => keeper.HasToken, Wait));

        Assert.True(await AdvanceUntil(() => !keeper.HasToken, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(3)));
        Assert.Null(await keeper.GetTokenAsync(default));
        Assert.True(credential.Calls > 1);
    }

    [Fact]
    public async Task A_refused_token_is_replaced_by_a_new_credentials_token_and_the_caller_waits_for_it()
    {
        var factory = new FakeCredentialFactory((_, n) => new FakeCredential(c => new AccessToken($"cred{n}-{c}", _time.GetUtcNow().AddHours(1))));
        var keeper = Keeper(factory);
        await keeper.StartAsync(default);
        Assert.True(await Poll.UntilAsync(() => keeper.HasToken, Wait));
        var first = (await keeper.GetTokenAsync(default))!.Value;

        // Moments after it was fetched, a refusal is not enough to fetch again (a missing role refuses every token).
        keeper.Invalidate(first);
        Assert.Equal(first.Token, (await keeper.GetTokenAsync(default))!.Value.Token);

        _time.Advance(TimeSpan.FromMinutes(1));
        keeper.Invalidate(first);
        using var timeout = new CancellationTokenSource(Wait);
        var fresh = await keeper.GetTokenAsync(timeout.Token);

        Assert.Equal("cred2-1", fresh!.Value.Token);
        Assert.Equal(2, factory.Built);
    }

    [Fact]
    public async Task A_rotated_certificate_file_gives_a_new_credential_without_a_restart()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("keeper-cert-").FullName, "client.pem");
        await File.WriteAllTextAsync(path, "first certificate");
        var seen = new List<string>();
        var factory = new FakeCredentialFactory((options, n) =>
        {
            lock (seen)
            {
                seen.Add(File.ReadAllText(options.CertificatePath!));
            }

            return new FakeCredential(c => new AccessToken($"cred{n}-{c}", _time.GetUtcNow().AddHours(1)));
        });
        var keeper = Keeper(factory, new IdentityOptions
        {
            Type = IdentityType.AadApplication,
            ClientId = "c",
            TenantId = "t",
            CertificatePath = path,
            CredentialFileCheckInterval = TimeSpan.FromSeconds(30),
        });
        await keeper.StartAsync(default);
        Assert.True(await Poll.UntilAsync(() => keeper.HasToken, Wait));

        // Unchanged file: no new credential however long we wait between refreshes.
        await AdvanceUntil(() => false, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5));
        Assert.Equal(1, factory.Built);

        await File.WriteAllTextAsync(path, "second certificate");
        Assert.True(await AdvanceUntil(() => factory.Built == 2, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(2)));
        Assert.True(await Poll.UntilAsync(() => keeper.GetTokenAsync(default).AsTask().Result?.Token == "cred2-1", Wait));
        lock (seen)
        {
            Assert.Equal(["first certificate", "second certificate"], seen);
        }
    }

    public void Dispose()
    {
        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }
    }
}
