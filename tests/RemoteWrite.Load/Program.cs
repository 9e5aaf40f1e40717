using RemoteWrite.Load;

// dotnet run -c Release --project tests/RemoteWrite.Load -- --url http://127.0.0.1:8081/api/v1/write --pid <relay pid>
LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency }) { Timeout = TimeSpan.FromSeconds(30) };
var result = await new LoadRunner(options, client).RunAsync(CancellationToken.None);
Console.Write(result.Format());
return result.Statuses.Keys.All(s => s is >= 200 and < 300) ? 0 : 1;
