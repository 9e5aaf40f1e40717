using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Google.Protobuf;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Protocol.V1;
using RemoteWrite.Standalone.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RemoteWrite.Standalone.Tests.EndToEnd;

/// <summary>
/// Issue 10's load: 128 vmagent-size bodies (~2 MB compressed, ~10 MB decoded), 64 at once, while
/// Azure answers 8 s late. Admission control keeps the relay's peak RSS under 300 MB, every request
/// is answered (204 or 503) within the sender's 30 s, and every sample answered 204 reaches Azure.
/// The relay and the stand-in are processes on loopback.
/// </summary>
[Slow]
[Collection(SerialCollection.Name)]
public sealed class BoundedMemoryTests(ITestOutputHelper output) : IDisposable
{
    private const string Dcr = "dcr-bounded-memory";
    private const int Requests = 128;
    private const int Concurrency = 64;
    private const long PeakLimit = 300L * 1024 * 1024;

    private LocalAzureProcess? _stand;
    private RelayChild? _relay;

    [Fact]
    public async Task Large_bodies_at_once_against_a_slow_Azure_stay_within_memory_and_time_and_lose_nothing()
    {
        _stand = await LocalAzureProcess.StartAsync();
        _relay = await RelayChild.StartAgainstAsync(_stand, Dcr);
        var (body, samplesPerBody) = VmagentSizeBody();
        output.WriteLine($"body: {body.Length:N0} bytes compressed, {SnappyCodec.GetDecodedLength(body, int.MaxValue):N0} decoded, {samplesPerBody:N0} samples");
        var baseline = PeakMemory.Of(_relay.Process.Pid);
        await _stand.SetFaultAsync("""{"latencyMs":8000,"seconds":600}""");

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency }) { Timeout = TimeSpan.FromSeconds(30) };
        var answers = new ConcurrentBag<(int Status, double Seconds)>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Requests), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (_, cancel) =>
        {
            var clock = Stopwatch.StartNew();
            int status;
            try
            {
                using var response = await http.SendAsync(RemoteWriteBodies.Post(new Uri(_relay.Address, "/api/v1/write"), body), cancel);
                status = (int)response.StatusCode;
            }
            catch (TaskCanceledException)
            {
                status = 0; // no answer within the sender's 30 s
            }

            answers.Add((status, clock.Elapsed.TotalSeconds));
        });

        var peak = PeakMemory.Of(_relay.Process.Pid);
        var accepted = answers.Count(a => a.Status == 204);
        output.WriteLine($"answers: 204={accepted} 503={answers.Count(a => a.Status == 503)} other={answers.Count(a => a.Status is not (204 or 503))}; slowest {answers.Max(a => a.Seconds):0.0} s");
        output.WriteLine($"relay peak RSS: {peak / 1048576.0:0} MiB (at start {baseline / 1048576.0:0} MiB)");

        Assert.All(answers, a => Assert.True(a.Status is 204 or 503, $"answered {a.Status} after {a.Seconds:0.0} s"));
        Assert.All(answers, a => Assert.True(a.Seconds < 30, $"answered after {a.Seconds:0.0} s"));
        Assert.True(accepted > 0, "nothing was accepted");
        if (peak is { } bytes)
        {
            Assert.True(bytes < PeakLimit, $"peak RSS {bytes / 1048576.0:0} MiB");
        }

        // Every sample answered 204 is in Azure (parts of 503-answered requests may be there too: the sender resends them).
        var stored = await _stand.StoredSamplesAsync(Dcr);
        output.WriteLine($"samples acknowledged {accepted * (long)samplesPerBody:N0}, stored {stored:N0}");
        Assert.True(stored >= accepted * (long)samplesPerBody, $"stored {stored} < acknowledged {accepted * (long)samplesPerBody}");
    }

    public void Dispose()
    {
        _relay?.Dispose();
        _stand?.Dispose();
    }

    // Kubernetes-shaped series with a random pod id and uid each (what keeps vmagent's blocks near
    // 5:1 under snappy), one sample each, ~10 MB decoded.
    private static (byte[] Body, int Samples) VmagentSizeBody()
    {
        var random = new Random(10);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var request = new WriteRequest();
        const int series = 22_000;
        for (var s = 0; s < series; s++)
        {
            var pod = $"api-{random.Next():x8}-{random.Next(0xFFFFF):x5}";
            request.Timeseries.Add(RemoteWriteBodies.Series(
                "container_memory_working_set_bytes", now, s,
                ("container", "app"),
                ("endpoint", "https-metrics"),
                ("id", $"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{Guid.NewGuid():N}.slice"),
                ("image", "registry.example.com/team/api:1.42.0"),
                ("instance", $"10.0.{s % 250}.{s % 200}:10250"),
                ("job", "kubelet"),
                ("metrics_path", "/metrics/cadvisor"),
                ("namespace", "production"),
                ("node", $"aks-nodepool1-{s % 40:D8}-vmss0000{s % 9}"),
                ("pod", pod),
                ("service", "kubelet")));
        }

        return (SnappyCodec.EncodeToArray(request.ToByteArray()), series);
    }
}
