using RemoteWrite.Standalone.Tests.Infrastructure;

namespace RemoteWrite.Standalone.Tests.Identity;

/// <summary>
/// The one stand-in this test process may use as IMDS: MSAL ≥ 4.79 keeps the IMDS host per process
/// (CONTRACT §2a), so every in-process managed identity test shares this fixture's address, set in
/// <c>AZURE_POD_IDENTITY_AUTHORITY_HOST</c> before any credential is built.
/// </summary>
public sealed class ImdsStandInFixture : IAsyncLifetime
{
    public LocalAzureProcess Stand { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Stand = await LocalAzureProcess.StartAsync();
        Environment.SetEnvironmentVariable("AZURE_POD_IDENTITY_AUTHORITY_HOST", Stand.HttpAddress.ToString().TrimEnd('/'));
    }

    public Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable("AZURE_POD_IDENTITY_AUTHORITY_HOST", null);
        Stand.Dispose();
        return Task.CompletedTask;
    }
}
