using System.Globalization;

namespace RemoteWrite.SideBySide;

/// <summary>Command-line options of the side-by-side benchmark; every figure of a mode is here.</summary>
/// <param name="WarmUpLimit">How long a contender may be warmed before a load's rounds (saturation until two rounds agree on CPU per sample).</param>
/// <param name="RelayJitWarmUp">The relay's first warm-up, once, at a moderate rate: long enough for its JIT to tier up on a loaded machine.</param>
/// <param name="RelayEnvironment">Extra variables for the relay (GC or Kestrel settings to compare), over its defaults.</param>
/// <param name="Loads">Chart labels of the loads to run (empty: all of the mode's).</param>
internal sealed record BenchOptions(bool Short, string OutDirectory, int Rounds, TimeSpan RoundDuration, TimeSpan WarmUpLimit, TimeSpan RelayJitWarmUp,
    IReadOnlyDictionary<string, string> RelayEnvironment, IReadOnlyList<string> Loads)
{
    public const string Usage = """
        usage: RemoteWrite.SideBySide [--short] [--out DIR] [--rounds N] [--round-seconds S] [--relay-env NAME=VALUE ...] [--load LABEL ...]
          --short            CI mode: two loads (1.0 and 2.0, 2,000 series), one round of 1 s each (< 60 s in all)
          --out DIR          where the table (side-by-side.md) and the chart (side-by-side.png) go (default bench/results)
          --rounds N         interleaved rounds per load and relay, the figures are their medians (default 3; --short 1)
          --round-seconds S  length of one round (default 2; --short 1)
          --relay-env N=V    set a variable for the relay, e.g. DOTNET_gcServer=1 or DOTNET_TieredPGO=0 (repeatable;
                             the table's header lists them)
          --load LABEL       only this load, by its chart label: 2k, 500, 10k, 40k, 50k, "2k churn", "2k 2.0" (repeatable)
        Needs /usr/bin/vmagent (Debian's victoria-metrics) and the services built in the same configuration.
        """;

    /// <summary>The loads this run measures, in the mode's order.</summary>
    public IReadOnlyList<Workload> Workloads => Workload.For(Short).Where(w => Loads.Count == 0 || Loads.Contains(w.ChartLabel)).ToList();

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var isShort = args.Contains("--short");
        string? outDirectory = null;
        int? rounds = null;
        double? seconds = null;
        var relayEnvironment = new Dictionary<string, string>(StringComparer.Ordinal);
        var loads = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--short")
            {
                continue;
            }

            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--out": outDirectory = value; break;
                case "--rounds": rounds = int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture); break;
                case "--round-seconds": seconds = double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture); break;
                case "--relay-env" when value.IndexOf('=', StringComparison.Ordinal) > 0:
                    relayEnvironment[value[..value.IndexOf('=', StringComparison.Ordinal)]] = value[(value.IndexOf('=', StringComparison.Ordinal) + 1)..];
                    break;
                case "--relay-env": throw new ArgumentException("--relay-env wants NAME=VALUE");
                case "--load": loads.Add(value); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }

            i++;
        }

        var options = new BenchOptions(
            isShort,
            outDirectory ?? Path.Combine(RemoteWrite.Testing.RepoPaths.Root, "bench", "results"),
            rounds ?? (isShort ? 1 : 3),
            TimeSpan.FromSeconds(seconds ?? (isShort ? 1 : 2)),
            TimeSpan.FromSeconds(isShort ? 2 : 30),
            TimeSpan.FromSeconds(isShort ? 2 : 40),
            relayEnvironment,
            loads);
        if (options.Rounds < 1 || options.RoundDuration <= TimeSpan.Zero)
        {
            throw new ArgumentException("--rounds and --round-seconds must be positive");
        }

        var unknown = loads.Where(l => Workload.For(isShort).All(w => w.ChartLabel != l)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"no such load in this mode: {string.Join(", ", unknown)}");
        }

        return options;
    }
}
