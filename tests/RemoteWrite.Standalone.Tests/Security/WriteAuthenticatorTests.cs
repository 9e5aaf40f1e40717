using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RemoteWrite.Receiver.Security;
using RemoteWrite.Standalone.Tests.Infrastructure;

namespace RemoteWrite.Standalone.Tests.Security;

/// <summary>The per-request check, and the files re-read on the TimeProvider's clock (content, not mtime).</summary>
public sealed class WriteAuthenticatorTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly CapturingLogger<WriteAuthenticator> _logger = new();
    private readonly TestPki _files = new("auth");

    private WriteAuthenticator Start(string? tokens, string? users)
    {
        var options = new ListenerSecurityOptions
        {
            BearerTokensFile = tokens is null ? null : _files.Write("tokens", tokens),
            BasicAuthFile = users is null ? null : _files.Write("htpasswd", users),
            FileCheckInterval = TimeSpan.FromSeconds(5),
        };
        Assert.Empty(options.Validate());
        var authenticator = new WriteAuthenticator(new FileWriteCredentialSource(Options.Create(options)), Options.Create(options), _time, _logger);
        authenticator.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        return authenticator;
    }

    private static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

    [Fact]
    public void Bearer_and_basic_are_checked_and_a_wrong_scheme_or_value_is_refused()
    {
        using var auth = Start("tok-1\ntok-2\n", "prometheus:" + WriteCredentialsTests.Bcrypt("pw-1") + "\n");

        Assert.Equal(WriteAuthOutcome.Allowed, auth.Check("Bearer tok-1"));
        Assert.Equal(WriteAuthOutcome.Allowed, auth.Check("bearer  tok-2 "));
        Assert.Equal(WriteAuthOutcome.Invalid, auth.Check("Bearer tok-3"));
        Assert.Equal(WriteAuthOutcome.Allowed, auth.Check(Basic("prometheus", "pw-1")));
        Assert.Equal(WriteAuthOutcome.Invalid, auth.Check(Basic("prometheus", "pw-2")));
        Assert.Equal(WriteAuthOutcome.Invalid, auth.Check(Basic("nobody", "pw-1")));
        Assert.Equal(WriteAuthOutcome.Invalid, auth.Check("Basic !!!not-base64"));
        Assert.Equal(WriteAuthOutcome.Invalid, auth.Check("Basic " + Convert.ToBase64String("no-colon"u8)));
        Assert.Equal(WriteAuthOutcome.Scheme, auth.Check("Digest abc"));
        Assert.Equal(WriteAuthOutcome.Scheme, auth.Check("tok-1"));
        Assert.Equal(WriteAuthOutcome.Invalid, auth.Check("Bearer " + new string('a', WriteAuthenticator.MaxCredentialChars + 1)));

        var context = new DefaultHttpContext();
        Assert.Equal(WriteAuthOutcome.Missing, auth.Check(context));
        context.Request.Headers.Authorization = "Bearer tok-2";
        Assert.Equal(WriteAuthOutcome.Allowed, auth.Check(context));
    }

    [Fact]
    public void A_changed_file_is_picked_up_at_the_next_check_and_drops_cached_basic_verifications()
    {
        using var auth = Start("old\n", "u:" + WriteCredentialsTests.Bcrypt("pw-old") + "\n");
        Assert.Equal(WriteAuthOutcome.Allowed, auth.Check(Basic("u", "pw-old")));

        // Rotation as a Kubernetes secret mount does it: the whole file replaced in one rename.
        _files.WriteAtomically("tokens", "old\nnew\n");
        _files.WriteAtomically("htpasswd", "u:" + WriteCredentialsTests.Bcrypt("pw-new") + "\n");
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(WriteAuthOutcome.Invalid, auth.Check("Bearer new"));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(WriteAuthOutcome.Allowed, auth.Check("Bearer new"));
        Assert.Equal(WriteAuthOutcome.Allowed, auth.Check("Bearer old"));
        Assert.Equal(WriteAuthOutcome.Invalid, auth.Check(Basic("u", "pw-old"))); // the cached success went with the old set
        Assert.Equal(WriteAuthOutcome.Allowed, auth.Check(Basic("u", "pw-new")));

        _files.WriteAtomically("tokens", "new\n");
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(WriteAuthOutcome.Invalid, auth.Check("Bearer old"));
        Assert.Contains(_logger.Lines, l => l.Text.Contains("reloaded", StringComparison.Ordinal) && l.Text.Contains("1 bearer token(s)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_that_breaks_keeps_the_old_set_and_warns_once()
    {
        using var auth = Start("tok-secret-1\n", null);

        _files.WriteAtomically("tokens", "# emptied by mistake\n");
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(5));
        }

        File.Delete(Path.Combine(_files.Folder, "tokens"));
        _time.Advance(TimeSpan.FromSeconds(5));
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(WriteAuthOutcome.Allowed, auth.Check("Bearer tok-secret-1"));
        var warnings = _logger.Lines.Where(l => l.Level == LogLevel.Warning).ToList();
        Assert.Equal(2, warnings.Count); // one for the empty file, one for the missing file
        Assert.Contains("holds no token", warnings[0].Text);
        Assert.Contains("cannot be read", warnings[1].Text);
        Assert.All(_logger.Lines, l => Assert.DoesNotContain("tok-secret-1", l.Text));

        _files.WriteAtomically("tokens", "tok-secret-2\n");
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(WriteAuthOutcome.Allowed, auth.Check("Bearer tok-secret-2"));
        Assert.Equal(WriteAuthOutcome.Invalid, auth.Check("Bearer tok-secret-1"));
    }

    [Fact]
    public void Basic_verifications_are_cached_and_the_cache_is_bounded()
    {
        // Cost 12: ~0.2 s per bcrypt check; a thousand cached checks must take far less than one more.
        using var auth = Start(null, "p:" + BCrypt.Net.BCrypt.HashPassword("pw", BCrypt.Net.BCrypt.GenerateSalt(12, 'y')) + "\n");
        Assert.Equal(WriteAuthOutcome.Allowed, auth.Check(Basic("p", "pw")));

        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(WriteAuthOutcome.Allowed, auth.Check(Basic("p", "pw")));
        }

        Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(150), $"1000 cached checks took {watch.ElapsedMilliseconds} ms");
        Assert.Equal("Basic realm=\"remote-write\"", auth.Challenges.ToString());
    }

    [Fact]
    public void A_bearer_check_and_a_cached_basic_check_allocate_nothing()
    {
        using var auth = Start("tok-1\ntok-2\n", "p:" + WriteCredentialsTests.Bcrypt("pw") + "\n");
        var bearer = "Bearer tok-2";
        var basic = Basic("p", "pw");
        Assert.Equal(WriteAuthOutcome.Allowed, auth.Check(bearer));
        Assert.Equal(WriteAuthOutcome.Allowed, auth.Check(basic));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            auth.Check(bearer);
            auth.Check(basic);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void When_every_bcrypt_slot_is_taken_a_new_password_waits_but_a_cached_one_passes()
    {
        using var auth = Start(null, "p:" + WriteCredentialsTests.Bcrypt("pw") + "\nq:" + WriteCredentialsTests.Bcrypt("qw") + "\n");
        Assert.Equal(WriteAuthOutcome.Allowed, auth.Check(Basic("p", "pw")));
        var taken = 0;
        while (auth.BcryptSlots.Wait(0))
        {
            taken++;
        }

        Assert.Equal(WriteAuthOutcome.Busy, auth.Check(Basic("q", "qw")));
        Assert.Equal(WriteAuthOutcome.Busy, auth.Check(Basic("q", "wrong")));
        Assert.Equal(WriteAuthOutcome.Allowed, auth.Check(Basic("p", "pw")));
        auth.BcryptSlots.Release(taken);
        Assert.Equal(WriteAuthOutcome.Allowed, auth.Check(Basic("q", "qw")));
    }

    [Fact]
    public void Nothing_configured_means_no_filter_and_a_client_CA_alone_still_needs_a_certificate()
    {
        var none = new ListenerSecurityOptions();
        using var off = new WriteAuthenticator(new FileWriteCredentialSource(Options.Create(none)), Options.Create(none), _time, _logger);
        Assert.False(off.IsEnabled);
        Assert.True(off.IsLoaded);

        var mtls = new ListenerSecurityOptions { TlsCertFile = "c", TlsKeyFile = "k", TlsClientCaFile = "ca" };
        using var certOnly = new WriteAuthenticator(new FileWriteCredentialSource(Options.Create(mtls)), Options.Create(mtls), _time, _logger);
        Assert.True(certOnly.IsEnabled);
        Assert.Equal(WriteAuthOutcome.ClientCertificate, certOnly.Check(new DefaultHttpContext()));
    }

    public void Dispose() => _files.Dispose();
}
