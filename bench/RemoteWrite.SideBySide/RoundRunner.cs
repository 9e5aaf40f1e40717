using System.Diagnostics;
using RemoteWrite.Load;
using RemoteWrite.Testing;

namespace RemoteWrite.SideBySide;

/// <summary>Runs one round of a load at one contender with the project's load tool, and waits for the sink to count it.</summary>
internal sealed class RoundRunner(CountingSink sink, HttpClient client)
{
    // Time for what was answered 2xx to reach the sink; past it, the rest counts as lost.
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(15);

    /// <param name="rate">Requests per second; 0 = saturation (<see cref="Workload.Concurrency"/> in flight).</param>
    /// <param name="maxRequests">Stop after this many (with churn, after the bodies: each is sent once).</param>
    public async Task<RoundResult> RunAsync(Workload workload, Contender contender, IReadOnlyList<byte[]> bodies, int protocol, double rate, TimeSpan duration, int maxRequests = int.MaxValue)
    {
        sink.Reset(contender.SinkKey);
        var options = new LoadOptions(
            contender.WriteUrl,
            Requests: workload.Churn ? Math.Min(bodies.Count, maxRequests) : maxRequests,
            Series: workload.Series,
            SamplesPerSeries: 1,
            Concurrency: rate > 0 ? Workload.FixedRateConcurrency : workload.Concurrency,
            Protocol: protocol,
            MaxDuration: duration,
            Pids: [],
            BearerToken: contender.BearerToken,
            Rate: rate,
            Churn: workload.Churn);
        options.Validate();

        var cpuBefore = contender.Pid > 0 ? ProcessCpu.Read(contender.Pid) : null;
        var watch = Stopwatch.StartNew();
        var load = await new LoadRunner(options, client).RunAsync(bodies, CancellationToken.None);
        await Poll.UntilAsync(() => sink.Counts(contender.SinkKey).Samples >= load.SamplesAccepted, DrainTimeout);
        var elapsed = watch.Elapsed;
        var counts = sink.Counts(contender.SinkKey);
        var cpu = contender.Pid > 0 ? ProcessCpu.Read(contender.Pid) - cpuBefore : null;
        return new RoundResult(load.SamplesAccepted, counts.Samples, elapsed, cpu, load.LatencyPercentile(50), load.LatencyPercentile(99),
            load.NotAccepted, counts.Refused, load.AverageBodyBytes);
    }
}
