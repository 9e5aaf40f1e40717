using RemoteWrite.Hosting;
using RemoteWrite.Ingress;
using RemoteWrite.Receiver.Apis;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddIngress(builder.Configuration);

var app = builder.Build();

// Every configuration problem on its own line, exit code 1, no stack trace.
if (app.HasConfigurationProblems("ingress"))
{
    return 1;
}

app.MapDefaultEndpoints();
app.MapRemoteWriteApi();
await app.RunAsync();
return 0;

public partial class Program;
