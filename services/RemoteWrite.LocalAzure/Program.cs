using RemoteWrite.Hosting;
using RemoteWrite.LocalAzure;
using RemoteWrite.LocalAzure.Apis;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddLocalAzure();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapTokenApi();
app.MapManagedIdentityApi();
app.MapIngestionApi();
app.MapAdminApi();
app.Run();

/// <summary>Public for <c>WebApplicationFactory&lt;Program&gt;</c> in the tests.</summary>
public partial class Program;
