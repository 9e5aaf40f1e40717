using RemoteWrite.Forwarder;
using RemoteWrite.Forwarder.Apis;
using RemoteWrite.Forwarder.Lag;
using RemoteWrite.Hosting;

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

app.UseCloudEvents();
app.MapDefaultEndpoints();
app.MapDeliveryApi();
await app.RunAsync();
return 0;

public partial class Program;
