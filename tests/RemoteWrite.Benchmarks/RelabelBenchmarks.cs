using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Pipeline;
using RemoteWrite.Core.Relabel;

namespace RemoteWrite.Benchmarks;

/// <summary>
/// The receiver's whole preparation (decode, scan, filters, cut) of the 2,000-series Kubernetes-shaped
/// request without rules and with 5 typical rules; divide by 2,000 for the cost per sample.
/// </summary>
[MemoryDiagnoser]
public class RelabelBenchmarks
{
    /// <summary>Drop by name, drop a high-cardinality label, build a label from two, keep by job, labelmap.</summary>
    public const string TypicalRules = """
        - source_labels: [__name__]
          regex: container_(fs_.*|threads)
          action: drop
        - regex: id
          action: labeldrop
        - source_labels: [namespace, container]
          separator: /
          regex: team-(\d+)-production/(.*)
          target_label: workload
          replacement: $1.$2
        - source_labels: [job]
          regex: kubelet|node-exporter
          action: keep
        - regex: (container|endpoint)
          replacement: k8s_${1}
          action: labelmap
        """;

    private byte[] _compressed = [];
    private WriteRequestPreparer _plain = null!;
    private WriteRequestPreparer _relabelling = null!;
    private RelabelRules _rules = RelabelRules.None;

    [GlobalSetup]
    public void Setup()
    {
        _compressed = SnappyCodec.EncodeToArray(KubernetesScrape.V1().ToByteArray());
        var problems = new List<string>();
        var rules = _rules = RelabelRules.Parse(TypicalRules, problems);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join('\n', problems));
        }

        // The scrape's timestamps, so the time window keeps every sample.
        var time = new FixedTime(DateTimeOffset.FromUnixTimeMilliseconds(1_732_000_007_000));
        _plain = new WriteRequestPreparer(new WriteLimits(), time);
        _relabelling = new WriteRequestPreparer(new WriteLimits(), time, relabel: rules);
        Console.WriteLine($"// samples sent: {NoRules()} without rules, {FiveRules()} with the 5 rules");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        // A machine so loaded that a match outlives the timeout would measure the linear engine instead.
        foreach (var rule in _rules.Rules)
        {
            Console.WriteLine($"// rule {rule.Action} {rule.Regex.Pattern}: {(rule.Regex.LinearOnly ? "switched to the linear engine" : "backtracking engine")}");
        }
    }

    [Benchmark(Baseline = true, Description = "prepare, no rules (2,000 samples)")]
    public int NoRules() => Prepare(_plain);

    [Benchmark(Description = "prepare, 5 relabel rules (2,000 samples)")]
    public int FiveRules() => Prepare(_relabelling);

    private int Prepare(WriteRequestPreparer preparer)
    {
        using var prepared = preparer.Prepare(_compressed, RemoteWriteHeaders.V1ContentType, "snappy");
        return prepared.Accepted.Samples;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
