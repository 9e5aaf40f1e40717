using System.Diagnostics;
using System.Globalization;
using RemoteWrite.Load;
using RemoteWrite.Testing;

namespace RemoteWrite.SideBySide;

/// <summary>
/// One run: the sink, vmagent and the relay on loopback; a warm-up; then per load, interleaved saturation
/// rounds (the order turns every round), then interleaved fixed-rate rounds at half the slower relay's
/// saturation rate, with the same load sent straight to the sink as the latency baseline.
/// </summary>
internal static class SideBySideBenchmark
{
    private const string DirectKey = "direct";

    // The sink wants a bearer token, as Azure does, but checks only that one is sent (the relay's comes from Entra ID).
    private const string SinkToken = "side-by-side";

    private static readonly TimeSpan WarmUpRound = TimeSpan.FromSeconds(2);

    // The relay's first warm-up's fixed rate, a tenth of what it takes at saturation here.
    private const double ModerateSamplesPerSecond = 100_000;

    // High-churn bodies take indexes from here on, never used by another load (BodyFactory: new index, new series).
    private const int FirstChurnBody = 1_000;

    public static async Task<BenchReport> RunAsync(BenchOptions options, TextWriter log)
    {
        var started = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        var loadAtStart = MachineFacts.LoadAverage();
        await using var sink = await CountingSink.StartAsync();
        // The relay's Entra ID tokens come from the local Azure stand-in's managed identity endpoint; its data goes to the sink.
        using var entra = await LocalAzureProcess.StartAsync();
        log.WriteLine($"sink {sink.Address}, services built {RepoPaths.Configuration}; load average {loadAtStart}");

        var direct = new Contender(Contender.Sink, sink.WriteUrl(DirectKey), 0, DirectKey, SinkToken, AcceptsV2: false, IsSink: true);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Workload.FixedRateConcurrency }) { Timeout = TimeSpan.FromSeconds(30) };
        var run = new Run(options, new RoundRunner(sink, client), direct, log);
        var (relayProcess, relay) = await RelayProcesses.StartRelayAsync(sink, entra.HttpAddress, options.RelayEnvironment);
        using var relayLifetime = relayProcess;
        await run.WarmUpRelayAsync(relay);
        var rows = new List<Figures>();
        foreach (var workload in options.Workloads)
        {
            var contenders = new List<Contender>();
            VmagentProcess? vmagent = null;
            if (workload.Protocol == 1)
            {
                (vmagent, var contender) = await RelayProcesses.StartVmagentAsync(sink, SinkToken);
                contenders.Add(contender);
            }

            using (vmagent)
            {
                contenders.Add(relay);
                log.WriteLine($"{workload.Name}: {string.Join(", ", contenders.Select(c => $"{c.Name} pid {c.Pid}"))}; load average {MachineFacts.LoadAverage()}");
                rows.AddRange(await run.MeasureAsync(workload, contenders));
            }
        }

        return new BenchReport(options, rows, MachineFacts.Read(), loadAtStart, MachineFacts.LoadAverage(), started, watch.Elapsed, MachineFacts.Commit(RepoPaths.Root));
    }

    private sealed class Run(BenchOptions options, RoundRunner runner, Contender sink, TextWriter log)
    {
        private int _nextChurnBody = FirstChurnBody;

        /// <summary>Warm-up (JIT, connection pools, vmagent's buffers: not measured), then the interleaved rounds.</summary>
        public async Task<IReadOnlyList<Figures>> MeasureAsync(Workload workload, IReadOnlyList<Contender> relays)
        {
            // One set of bodies for every contender and round: the same load. With churn, every body of the set holds
            // new series and a round sends each body once; rounds reuse the set, as neither relay keeps per-series state.
            var generation = Stopwatch.StartNew();
            var shared = Bodies(workload, workload.Protocol);
            var sharedV1 = workload.Protocol == 1 ? shared : Bodies(workload, 1);
            log.WriteLine($"{workload.Name}: {shared.Length} bodies made in {generation.Elapsed.TotalSeconds:0.0} s");
            foreach (var relay in relays)
            {
                await WarmUpAsync(workload, relay, shared);
                PeakMemory.Reset(relay.Pid);
            }

            // Azure refuses a body over 1 MiB, and so does the sink: such a load has no direct baseline.
            var baseline = sharedV1.All(b => b.Length <= CountingSink.MaxBodyBytes);
            if (baseline)
            {
                await runner.RunAsync(workload, Sink, sharedV1, 1, rate: 5, options.WarmUpLimit, maxRequests: 10);
            }
            var saturation = relays.ToDictionary(r => r.Name, _ => new List<RoundResult>());
            for (var round = 0; round < options.Rounds; round++)
            {
                foreach (var relay in Turn(relays, round))
                {
                    var result = await runner.RunAsync(workload, relay, shared, workload.Protocol, rate: 0, options.RoundDuration);
                    saturation[relay.Name].Add(result);
                    Log(workload, relay, "saturation", round, result);
                }
            }

            // Half the slower relay's saturation rate, the same for every contender: the same load.
            var slowest = relays.Min(r => Figures.Median(saturation[r.Name].Select(s => (double?)s.SamplesPerSecond)) ?? 0);
            var rate = Math.Max(1, slowest / 2 / workload.Series);
            List<Contender> latencyContenders = baseline ? [.. relays, Sink] : [.. relays];
            var fixedRate = latencyContenders.ToDictionary(c => c.Name, _ => new List<RoundResult>());
            for (var round = 0; round < options.Rounds; round++)
            {
                foreach (var contender in Turn(latencyContenders, round))
                {
                    var protocol = contender.IsSink ? 1 : workload.Protocol;
                    var result = await runner.RunAsync(workload, contender, contender.IsSink ? sharedV1 : shared, protocol, rate, options.RoundDuration);
                    fixedRate[contender.Name].Add(result);
                    Log(workload, contender, $"{rate:0.#} requests/s", round, result);
                }
            }

            TimeSpan? baselineP99 = baseline ? Figures.Median(fixedRate[Sink.Name].Select(r => r.P99)) : null;
            var rows = relays.Select(relay => Row(workload, relay, saturation[relay.Name], fixedRate[relay.Name], baselineP99, PeakMemory.Of(relay.Pid))).ToList();
            if (baseline)
            {
                // The sink alone: the latency baseline (it runs in this process: no CPU figure of its own).
                var direct = fixedRate[Sink.Name];
                rows.Add(new Figures(workload, Sink.Name, null, null, Figures.Median(direct.Select(r => r.P50)), Figures.Median(direct.Select(r => r.P99)), null, null,
                    direct.Sum(r => r.Lost), direct.Sum(r => r.NotAccepted), direct.Sum(r => r.SinkRefused), direct[0].AverageBodyBytes));
            }

            return rows;
        }

        private Contender Sink => sink;

        /// <summary>
        /// The relay's JIT, once: 1.0 and 2.0 at a moderate fixed rate, as a Prometheus would start it. Saturated from its
        /// first second, a fresh relay stayed at its first JIT tier for 30 s and more on this loaded machine (remote-write
        /// 2.0 at ~11 µs per sample instead of ~2; ~1.7 with DOTNET_TieredCompilation=0).
        /// </summary>
        public async Task WarmUpRelayAsync(Contender relay)
        {
            var watch = Stopwatch.StartNew();
            foreach (var workload in Workload.For(isShort: true))
            {
                await runner.RunAsync(workload, relay, Bodies(workload, workload.Protocol), workload.Protocol,
                    rate: ModerateSamplesPerSecond / workload.Series, options.RelayJitWarmUp / 2);
            }

            log.WriteLine($"relay pid {relay.Pid} warmed at a moderate rate for {watch.Elapsed.TotalSeconds:0} s");
        }

        // Saturation rounds until two in a row agree on CPU per sample within 15 % (pools, buffers, the JIT's last tier), or the limit.
        private async Task WarmUpAsync(Workload workload, Contender contender, byte[][] bodies)
        {
            var round = options.WarmUpLimit < WarmUpRound ? options.WarmUpLimit : WarmUpRound;
            var watch = Stopwatch.StartNew();
            double? last = null;
            while (true)
            {
                var now = (await runner.RunAsync(workload, contender, bodies, workload.Protocol, rate: 0, round)).NanosecondsPerSample;
                var steady = last is { } l && now is { } n && Math.Abs(n - l) <= 0.15 * l;
                if (steady || watch.Elapsed + round > options.WarmUpLimit)
                {
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{workload.Name} | {contender.Name} | warm-up: {watch.Elapsed.TotalSeconds:0} s, {now:0} ns/sample{(steady ? "" : ", not steady within the limit")}"));
                    return;
                }

                last = now;
            }
        }

        private static Figures Row(Workload workload, Contender relay, List<RoundResult> saturation, List<RoundResult> fixedRate, TimeSpan? baselineP99, long? peak)
        {
            var p99 = Figures.Median(fixedRate.Select(r => r.P99));
            List<RoundResult> all = [.. saturation, .. fixedRate];
            return new Figures(workload, relay.Name,
                Figures.Median(saturation.Select(r => r.NanosecondsPerSample)),
                Figures.Median(saturation.Select(r => (double?)r.SamplesPerSecond)),
                Figures.Median(fixedRate.Select(r => r.P50)), p99, p99 - baselineP99, peak,
                all.Sum(r => r.Lost), all.Sum(r => r.NotAccepted), all.Sum(r => r.SinkRefused), saturation[0].AverageBodyBytes);
        }

        // Round r starts with the r-th contender, so no contender always runs first (or right after the same one).
        private static IEnumerable<Contender> Turn(IReadOnlyList<Contender> list, int round) =>
            Enumerable.Range(0, list.Count).Select(i => list[(i + round) % list.Count]);

        // Non-churn loads send bodies 0, 1, … in turn; churn bodies take indexes no other load used.
        private byte[][] Bodies(Workload workload, int protocol)
        {
            var count = workload.Bodies(options.Short);
            var first = 0;
            if (workload.Churn)
            {
                first = _nextChurnBody;
                _nextChurnBody += count;
            }

            return BodyFactory.CreateSet(protocol, first, count, workload.Series, samplesPerSeries: 1, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }

        private void Log(Workload workload, Contender contender, string mode, int round, RoundResult r) =>
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{workload.Name} | {contender.Name} | {mode} | round {round + 1}: {r.Delivered:N0} of {r.Acked:N0} samples in {r.Elapsed.TotalSeconds:0.00} s, {r.NanosecondsPerSample:0} ns/sample, p99 {r.P99.TotalMilliseconds:0.0} ms, not 2xx {r.NotAccepted}, sink refused {r.SinkRefused}"));
    }
}
