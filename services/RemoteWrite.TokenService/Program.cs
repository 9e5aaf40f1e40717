using RemoteWrite.Hosting;
using RemoteWrite.TokenService;
using RemoteWrite.TokenService.Apis;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddTokenService(builder.Configuration);

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.MapDefaultEndpoints();
app.MapTokenApi();
app.Run();

public partial class Program;
