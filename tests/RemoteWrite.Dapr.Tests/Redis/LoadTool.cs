using RemoteWrite.Load;

namespace RemoteWrite.Dapr.Tests.Redis;

/// <summary>The project's load tool (tests/RemoteWrite.Load), run in-process against one ingress.</summary>
internal static class LoadTool
{
    /// <returns>Samples the ingress acknowledged (2xx), and the answers by status.</returns>
    public static async Task<(long Acknowledged, IReadOnlyDictionary<int, int> Statuses)> RunAsync(Uri url, int requests, int series, int concurrency, TimeSpan maxDuration, params int[] pids)
    {
        var args = new List<string>
        {
            "--url", url.ToString(), "--requests", Text(requests), "--series", Text(series), "--samples", "1",
            "--concurrency", Text(concurrency), "--max-seconds", Text((int)Math.Ceiling(maxDuration.TotalSeconds)),
        };
        foreach (var pid in pids)
        {
            args.AddRange(["--pid", Text(pid)]);
        }

        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { Timeout = TimeSpan.FromSeconds(30) };
        var result = await new LoadRunner(LoadOptions.Parse(args), client).RunAsync(CancellationToken.None);
        return (result.SamplesAccepted, result.Statuses);
    }

    private static string Text(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
