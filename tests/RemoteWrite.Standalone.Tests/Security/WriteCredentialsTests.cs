using RemoteWrite.Receiver.Security;

namespace RemoteWrite.Standalone.Tests.Security;

/// <summary>The two file formats: tokens one per line, htpasswd bcrypt lines; comments and blanks ignored.</summary>
public sealed class WriteCredentialsTests
{
    internal static string Bcrypt(string password) => BCrypt.Net.BCrypt.HashPassword(password, BCrypt.Net.BCrypt.GenerateSalt(4, 'y'));

    private static WriteCredentials? Parse(string? bearer, string? basic, List<string> problems) =>
        WriteCredentials.Parse(new WriteCredentialTexts(bearer, basic, "WRITE_BEARER_TOKENS_FILE", "WRITE_BASIC_AUTH_FILE"), problems);

    [Fact]
    public void Tokens_one_per_line_with_comments_and_blank_lines()
    {
        var problems = new List<string>();
        var credentials = Parse("# rotation: old and new both valid\n\n  token-old  \r\ntoken-new\n", null, problems);

        Assert.Empty(problems);
        Assert.NotNull(credentials);
        Assert.Equal(2, credentials.TokenCount);
        Assert.True(credentials.MatchesToken("token-old"));
        Assert.True(credentials.MatchesToken("token-new"));
        Assert.False(credentials.MatchesToken("token-ne"));
        Assert.False(credentials.MatchesToken("token-neww"));
        Assert.False(credentials.MatchesToken("# rotation: old and new both valid"));
        Assert.True(credentials.AcceptsBearer);
        Assert.False(credentials.AcceptsBasic);
        Assert.Equal("Bearer realm=\"remote-write\"", credentials.Challenges.ToString());
    }

    [Fact]
    public void Tokens_are_kept_as_fixed_length_hashes_so_length_does_not_leak()
    {
        var credentials = Parse("a\n" + new string('x', 3000) + "\n", null, [])!;

        Assert.All(credentials.TokenHashes, h => Assert.Equal(32, h.Length));
        Assert.True(credentials.MatchesToken(new string('x', 3000)));
    }

    [Fact]
    public void Htpasswd_bcrypt_lines_parse_and_both_challenges_are_offered()
    {
        var hash = Bcrypt("pw");
        Assert.StartsWith("$2y$04$", hash);
        var problems = new List<string>();
        var credentials = Parse("t1\n", $"# users\nprometheus:{hash}\n\nother:{Bcrypt("x")}\n", problems);

        Assert.Empty(problems);
        Assert.Equal(2, credentials!.UserCount);
        Assert.Equal(hash, credentials.Users["prometheus"]);
        Assert.Equal("Bearer realm=\"remote-write\",Basic realm=\"remote-write\"", credentials.Challenges.ToString());
    }

    [Fact]
    public void Problems_name_the_line_but_never_its_content()
    {
        var problems = new List<string>();
        var credentials = Parse("ok\nwith space-secret\n", "alice:{SHA}secretsha\nbob:plain-secret\n:$2y$04$abcdefghijklmnopqrstuuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01\n", problems);

        Assert.Null(credentials);
        Assert.Equal(4, problems.Count);
        Assert.Contains("WRITE_BEARER_TOKENS_FILE line 2", problems[0]);
        Assert.Contains("WRITE_BASIC_AUTH_FILE line 1", problems[1]);
        Assert.Contains("WRITE_BASIC_AUTH_FILE line 2", problems[2]);
        Assert.Contains("WRITE_BASIC_AUTH_FILE line 3", problems[3]);
        Assert.All(problems, p => Assert.DoesNotContain("secret", p));
    }

    [Fact]
    public void An_empty_file_is_a_problem_not_a_lock_out()
    {
        var problems = new List<string>();
        Assert.Null(Parse("# nothing yet\n\n", null, problems));
        Assert.Equal(["WRITE_BEARER_TOKENS_FILE holds no token."], problems);

        problems.Clear();
        Assert.Null(Parse(null, "", problems));
        Assert.Equal(["WRITE_BASIC_AUTH_FILE holds no user."], problems);
    }
}
