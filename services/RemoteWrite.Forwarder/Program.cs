using RemoteWrite.Forwarder;
using RemoteWrite.Forwarder.Apis;
using RemoteWrite.Forwarder.Lag;
using RemoteWrite.Hosting;
using RemoteWrite.Hosting.Check;
using RemoteWrite.Hosting.Status;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddForwarder(builder.Configuration);
builder.Services.AddForwarderLag(builder.Configuration);

var app = builder.Build();

// Every configuration problem on its own line, exit code 1, no stack trace.
if (app.HasConfigurationProblems("forwarder"))
{
    return 1;
}

// `check`: validate, get a token, POST an empty request to every endpoint, one line each.
if (CheckCommand.IsCheck(args))
{
    return await app.RunCheckAsync("forwarder", Console.Out);
}

app.UseCloudEvents();
app.MapDefaultEndpoints();
app.MapStatusPage("forwarder");
app.MapDeliveryApi();
await app.RunAsync();
return 0;

public partial class Program;
