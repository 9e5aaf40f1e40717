using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using RemoteWrite.Core.Codec;

namespace RemoteWrite.Load;

/// <summary>Sends a bounded number of remote-write requests with bounded concurrency and time.</summary>
internal sealed class LoadRunner(LoadOptions options, HttpClient client)
{
    private const int DistinctBodies = 16;

    public async Task<LoadResult> RunAsync(CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var bodies = Enumerable.Range(0, DistinctBodies)
            .Select(i => BodyFactory.Create(options.Protocol, i, options.Series, options.SamplesPerSeries, now))
            .ToArray();
        var statuses = new ConcurrentDictionary<int, int>();
        var cpuBefore = options.Pids.ToDictionary(p => p, ProcessCpu.Read);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.MaxDuration);
        var next = -1;
        var sent = 0L;
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, options.Concurrency).Select(async _ =>
        {
            while (!deadline.IsCancellationRequested)
            {
                var n = Interlocked.Increment(ref next);
                if (n >= options.Requests)
                {
                    return;
                }

                var status = await SendAsync(bodies[n % bodies.Length], deadline.Token);
                statuses.AddOrUpdate(status, 1, (_, c) => c + 1);
                if (status is >= 200 and < 300)
                {
                    Interlocked.Add(ref sent, (long)options.Series * options.SamplesPerSeries);
                }
            }
        }).ToArray();
        await Task.WhenAll(workers);
        watch.Stop();

        var cpu = options.Pids.ToDictionary(p => p, p => ProcessCpu.Read(p) - cpuBefore[p]);
        return new LoadResult(statuses.ToDictionary(), sent, watch.Elapsed, cpu, bodies.Sum(b => (long)b.Length) / bodies.Length);
    }

    private async Task<int> SendAsync(byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(options.Protocol == 2 ? RemoteWriteHeaders.V2ContentType : RemoteWriteHeaders.V1ContentType);
        request.Content.Headers.ContentEncoding.Add("snappy");
        request.Headers.Add(RemoteWriteHeaders.VersionHeader, options.Protocol == 2 ? RemoteWriteHeaders.V2Version : RemoteWriteHeaders.V1Version);
        if (options.BearerToken is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        try
        {
            using var response = await client.SendAsync(request, cancellationToken);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0; // connection refused or reset
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return -1; // timed out
        }
    }
}
