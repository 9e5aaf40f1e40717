using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RemoteWrite.Hosting;
using RemoteWrite.Standalone.Tests.Infrastructure;

namespace RemoteWrite.Standalone.Tests.Security;

/// <summary>The relay in-process with write authentication on: 401 with both challenges, 204 with either credential, probes open, no secret anywhere.</summary>
public sealed class WriteAuthServiceTests : IDisposable
{
    private static readonly byte[] Body = RemoteWriteBodies.Compress(RemoteWriteBodies.Request(series: 3));

    private readonly string _token = "tok-" + Guid.NewGuid().ToString("N");
    private readonly string _password = "pw-" + Guid.NewGuid().ToString("N");
    private readonly TestPki _files = new("service");
    private readonly CapturingLoggerProvider _logs = new();

    private WebApplicationFactory<Program> Relay(RelayFactory factory) =>
        factory.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace)));

    private RelayFactory Factory() => new(new Dictionary<string, string?>
    {
        ["WRITE_BEARER_TOKENS_FILE"] = _files.Write("tokens", "# rotation\nold-token\n" + _token),
        ["WRITE_BASIC_AUTH_FILE"] = _files.Write("htpasswd", "prometheus:" + WriteCredentialsTests.Bcrypt(_password)),
    });

    private static HttpRequestMessage Post(AuthenticationHeaderValue? authorization)
    {
        var request = RemoteWriteBodies.Post(Body);
        request.Headers.Authorization = authorization;
        return request;
    }

    private AuthenticationHeaderValue Basic(string password) => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("prometheus:" + password)));

    [Fact]
    public async Task Without_credentials_401_with_both_challenges_and_with_either_credential_204()
    {
        using var factory = Factory();
        using var relay = Relay(factory);
        using var client = relay.CreateClient();

        using (var refused = await client.SendAsync(Post(null)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal(["Bearer realm=\"remote-write\"", "Basic realm=\"remote-write\""], refused.Headers.WwwAuthenticate.Select(h => h.ToString()));
            Assert.Equal("unauthorized\n", await refused.Content.ReadAsStringAsync());
            Assert.Empty(factory.Azure.Requests);
        }

        using (var bearer = await client.SendAsync(Post(new AuthenticationHeaderValue("Bearer", _token))))
        {
            Assert.Equal(HttpStatusCode.NoContent, bearer.StatusCode);
        }

        using (var basic = await client.SendAsync(Post(Basic(_password))))
        {
            Assert.Equal(HttpStatusCode.NoContent, basic.StatusCode);
        }

        using (var wrong = await client.SendAsync(Post(Basic("not-" + _password))))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        Assert.Equal(2, factory.Azure.Requests.Count);
    }

    [Fact]
    public async Task Health_ready_and_metrics_stay_open_and_refusals_are_counted_by_reason()
    {
        using var factory = Factory();
        using var relay = Relay(factory);
        using var client = relay.CreateClient();
        using (await client.SendAsync(Post(null)))
        using (await client.SendAsync(Post(new AuthenticationHeaderValue("Bearer", "wrong"))))
        using (await client.SendAsync(Post(new AuthenticationHeaderValue("Digest", "x"))))
        {
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/ready")).StatusCode);
        var metrics = await client.GetStringAsync("/metrics");

        Assert.Contains("remotewrite_receiver_unauthorized_total{otel_scope_name=\"RemoteWrite.Receiver\",reason=\"missing\"} 1", metrics);
        Assert.Contains("reason=\"invalid\"} 1", metrics);
        Assert.Contains("reason=\"scheme\"} 1", metrics);
        Assert.True(metrics.Contains("reason=\"client_certificate\"} 0", StringComparison.Ordinal), metrics);
        Assert.Contains(metrics.Split('\n'), l => l.StartsWith("remotewrite_receiver_requests_total{", StringComparison.Ordinal) && l.Contains("code=\"401\"", StringComparison.Ordinal) && l.Contains("} 3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_token_password_or_offered_credential_appears_in_logs_metrics_or_answers()
    {
        var offered = "offered-" + Guid.NewGuid().ToString("N");
        using var factory = Factory();
        using var relay = Relay(factory);
        using var client = relay.CreateClient();

        var answers = new StringBuilder();
        foreach (var authorization in new[] { null, new AuthenticationHeaderValue("Bearer", offered), Basic(offered), new AuthenticationHeaderValue("Bearer", _token), Basic(_password) })
        {
            using var response = await client.SendAsync(Post(authorization));
            answers.Append(response.Headers).Append(await response.Content.ReadAsStringAsync());
        }

        var metrics = await client.GetStringAsync("/metrics");
        var logs = _logs.Text;
        Assert.Contains("Write credentials loaded", logs);
        foreach (var text in new[] { logs, metrics, answers.ToString() })
        {
            foreach (var secret in new[] { _token, _password, offered, "old-token", Convert.ToBase64String(Encoding.UTF8.GetBytes("prometheus:" + _password)) })
            {
                Assert.DoesNotContain(secret, text);
            }
        }
    }

    [Fact]
    public async Task Off_by_default_writes_need_nothing()
    {
        using var factory = new RelayFactory();
        using var client = factory.CreateClient();

        using var response = await client.SendAsync(Post(null));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public void Unusable_files_are_configuration_problems_one_line_each()
    {
        var (otherCert, _) = _files.Issue("other", "CN=other", serverAuth: true);
        var problems = Problems(new()
        {
            ["WRITE_BEARER_TOKENS_FILE"] = Path.Combine(_files.Folder, "missing-tokens"),
            ["WRITE_BASIC_AUTH_FILE"] = _files.Write("bad-htpasswd", "prometheus:{SHA}abc"),
            ["TLS_CERT_FILE"] = otherCert,
            ["TLS_KEY_FILE"] = _files.ServerKeyFile,
        });

        Assert.Equal(2, problems.Count);
        Assert.Contains("WRITE_BEARER_TOKENS_FILE / WRITE_BASIC_AUTH_FILE", problems[0]);
        Assert.Contains("missing-tokens", problems[0]);
        Assert.StartsWith("TLS_CERT_FILE / TLS_KEY_FILE:", problems[1]);

        Assert.Contains(Problems(new() { ["TLS_CERT_FILE"] = _files.ServerCertFile }), p => p.Contains("TLS_CERT_FILE and TLS_KEY_FILE must be set together", StringComparison.Ordinal));
        Assert.Contains(Problems(new() { ["TLS_CLIENT_CA_FILE"] = _files.CaFile }), p => p.Contains("TLS_CLIENT_CA_FILE needs TLS_CERT_FILE", StringComparison.Ordinal));
        Assert.Contains(Problems(new() { ["WRITE_BASIC_AUTH_FILE"] = _files.Write("bad2", "prometheus:{SHA}abc") }), p => p.Contains("WRITE_BASIC_AUTH_FILE line 1", StringComparison.Ordinal));
        Assert.Empty(Problems(new() { ["TLS_CERT_FILE"] = _files.ServerCertFile, ["TLS_KEY_FILE"] = _files.ServerKeyFile, ["TLS_CLIENT_CA_FILE"] = _files.CaFile }));
    }

    [Fact]
    public void The_environment_names_win_over_the_section_keys()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["INGESTION_URL"] = RelayFactory.IngestionUrl,
            ["ListenerSecurity:BearerTokensFile"] = "/section/tokens",
            ["ListenerSecurity:BasicAuthFile"] = "/section/htpasswd",
            ["WRITE_BEARER_TOKENS_FILE"] = "/env/tokens",
            ["TLS_CLIENT_CA_FILE"] = "/env/ca.pem",
            ["ListenerSecurity:FileCheckInterval"] = "00:00:30",
        });
        builder.AddStandaloneRelay();
        // Bound and mapped as at start, without the validation (these files do not exist).
        var options = new RemoteWrite.Receiver.Security.ListenerSecurityOptions();
        foreach (var configure in builder.Services.BuildServiceProvider().GetServices<Microsoft.Extensions.Options.IConfigureOptions<RemoteWrite.Receiver.Security.ListenerSecurityOptions>>())
        {
            configure.Configure(options);
        }

        Assert.Equal("/env/tokens", options.BearerTokensFile);
        Assert.Equal("/section/htpasswd", options.BasicAuthFile);
        Assert.Equal("/env/ca.pem", options.TlsClientCaFile);
        Assert.Null(options.TlsCertFile);
        Assert.Equal(TimeSpan.FromSeconds(30), options.FileCheckInterval);
    }

    private static List<string> Problems(Dictionary<string, string?> variables)
    {
        variables["INGESTION_URL"] = RelayFactory.IngestionUrl;
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(variables);
        builder.AddStandaloneRelay();
        return [.. StartupValidation.Problems(builder.Services.BuildServiceProvider())];
    }

    public void Dispose() => _files.Dispose();

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly StringBuilder _text = new();

        public string Text
        {
            get
            {
                lock (_text)
                {
                    return _text.ToString();
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner._text)
                {
                    owner._text.Append(formatter(state, exception)).Append(' ').Append(exception).Append(' ').Append(state).AppendLine();
                }
            }
        }
    }
}
