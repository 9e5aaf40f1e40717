using RemoteWrite.Hosting;
using RemoteWrite.Ingress;
using RemoteWrite.Receiver.Apis;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddIngress(builder.Configuration);

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapRemoteWriteApi();
app.Run();

public partial class Program;
