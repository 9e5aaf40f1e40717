using RemoteWrite.Hosting;
using RemoteWrite.TokenService;
using RemoteWrite.TokenService.Apis;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddTokenService(builder.Configuration);

var app = builder.Build();

// Every configuration problem on its own line, exit code 1, no stack trace.
if (app.HasConfigurationProblems("token service"))
{
    return 1;
}

app.UseAuthentication();
app.UseAuthorization();
app.MapDefaultEndpoints();
app.MapTokenApi();
await app.RunAsync();
return 0;

public partial class Program;
