using RemoteWrite.Forwarder;
using RemoteWrite.Forwarder.Apis;
using RemoteWrite.Forwarder.Lag;
using RemoteWrite.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddForwarder(builder.Configuration);
builder.Services.AddForwarderLag(builder.Configuration);

var app = builder.Build();
app.UseCloudEvents();
app.MapDefaultEndpoints();
app.MapDeliveryApi();
app.Run();

public partial class Program;
