using RemoteWrite.Hosting;
using RemoteWrite.Hosting.Check;
using RemoteWrite.Hosting.Status;
using RemoteWrite.Standalone;
using RemoteWrite.Standalone.Apis;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddStandaloneRelay();

var app = builder.Build();

// Every configuration problem on its own line, exit code 1, no stack trace.
if (app.HasConfigurationProblems("relay"))
{
    return 1;
}

// `check`: validate, get a token, POST an empty request to every endpoint, one line each.
if (CheckCommand.IsCheck(args))
{
    return await app.RunCheckAsync("relay", Console.Out);
}

app.MapDefaultEndpoints();
app.MapStatusPage("relay");
app.MapRelayApi();
await app.RunAsync();
return 0;

/// <summary>Public for <c>WebApplicationFactory</c>.</summary>
public partial class Program;
