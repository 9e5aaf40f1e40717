using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using RemoteWrite.Core.Codec;

namespace RemoteWrite.Load;

/// <summary>
/// Sends a bounded number of remote-write requests with bounded concurrency and time: as fast as the
/// answers come (saturation), or at a fixed rate whatever the answers (latency). No request is started
/// after <see cref="LoadOptions.MaxDuration"/>; those in flight then are awaited, not cancelled, so
/// every request ends with its answer (a cancelled one could still be delivered, uncounted).
/// </summary>
internal sealed class LoadRunner(LoadOptions options, HttpClient client)
{
    private const int DistinctBodies = 16;

    /// <summary>Builds the bodies (<see cref="BodyFactory"/>: one per request with <c>--churn</c>) and sends them.</summary>
    public Task<LoadResult> RunAsync(CancellationToken cancellationToken)
    {
        var bodies = BodyFactory.CreateSet(options.Protocol, options.FirstBody, options.Churn ? options.Requests : DistinctBodies,
            options.Series, options.SamplesPerSeries, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return RunAsync(bodies, cancellationToken);
    }

    /// <summary>Sends <paramref name="bodies"/> in turn (each of <see cref="LoadOptions.SamplesPerRequest"/> samples).</summary>
    public async Task<LoadResult> RunAsync(IReadOnlyList<byte[]> bodies, CancellationToken cancellationToken)
    {
        var statuses = new ConcurrentDictionary<int, int>();
        var latencies = new ConcurrentBag<TimeSpan>();
        var cpuBefore = options.Pids.ToDictionary(p => p, ProcessCpu.Read);

        var next = -1;
        var sent = 0L;
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, options.Concurrency).Select(async _ =>
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var n = Interlocked.Increment(ref next);
                // At a fixed rate a request is due on its schedule (started late if the workers were busy, never skipped).
                var due = options.Rate > 0 ? TimeSpan.FromSeconds(n / options.Rate) : watch.Elapsed;
                if (n >= options.Requests || due >= options.MaxDuration)
                {
                    return;
                }

                if (due > watch.Elapsed)
                {
                    await Task.Delay(due - watch.Elapsed, cancellationToken);
                }

                var started = watch.Elapsed;
                var status = await SendAsync(bodies[n % bodies.Count], cancellationToken);
                statuses.AddOrUpdate(status, 1, (_, c) => c + 1);
                if (status is >= 200 and < 300)
                {
                    latencies.Add(watch.Elapsed - started);
                    Interlocked.Add(ref sent, options.SamplesPerRequest);
                }
            }
        }).ToArray();
        await Task.WhenAll(workers);
        watch.Stop();

        var cpu = options.Pids.ToDictionary(p => p, p => ProcessCpu.Read(p) - cpuBefore[p]);
        return new LoadResult(statuses.ToDictionary(), sent, watch.Elapsed, cpu, bodies.Sum(b => (long)b.Length) / bodies.Count, latencies.ToArray());
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
