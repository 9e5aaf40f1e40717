using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace RemoteWrite.LocalAzure.Tests.Infrastructure;

/// <summary>
/// The stand-in in-process. By default on TestServer (pure HTTP status tests); after
/// <see cref="StartKestrel"/> on real Kestrel with ephemeral http and https ports on loopback,
/// for clients that need real sockets (Azure.Identity, Prometheus).
/// </summary>
public sealed class LocalAzureFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    public LocalAzureFactory(IDictionary<string, string?>? settings = null, FakeTimeProvider? time = null)
    {
        Time = time;
        DataDirectory = Directory.CreateTempSubdirectory("localazure-test-").FullName;
        _settings = new Dictionary<string, string?>
        {
            ["LocalAzure:DataDirectory"] = DataDirectory,
            ["LocalAzure:HttpPort"] = "0",
            ["LocalAzure:HttpsPort"] = "0",
            ["LOG_FORMAT"] = "text",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public FakeTimeProvider? Time { get; }

    public string DataDirectory { get; }

    public Uri? HttpAddress { get; private set; }

    public Uri? HttpsAddress { get; private set; }

    /// <summary>Runs on Kestrel and learns the bound ports.</summary>
    public LocalAzureFactory StartKestrel()
    {
        UseKestrel();
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        HttpAddress = new Uri(addresses.Single(a => a.StartsWith("http://", StringComparison.Ordinal)));
        HttpsAddress = new Uri(addresses.Single(a => a.StartsWith("https://", StringComparison.Ordinal)));
        return this;
    }

    public string CaPemPath => Path.Combine(DataDirectory, "ca.pem");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(_settings));
        if (Time is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory.
        }
    }
}
