using System.Globalization;

namespace RemoteWrite.SideBySide;

/// <summary>Command-line options of the side-by-side benchmark; every figure of a mode is here.</summary>
/// <param name="WarmUpSamples">Samples each contender gets at saturation before a load's rounds (JIT, pools, buffers), within <paramref name="WarmUpLimit"/>.</param>
internal sealed record BenchOptions(bool Short, string OutDirectory, int Rounds, TimeSpan RoundDuration, long WarmUpSamples, TimeSpan WarmUpLimit)
{
    public const string Usage = """
        usage: RemoteWrite.SideBySide [--short] [--out DIR] [--rounds N] [--round-seconds S]
          --short            CI mode: two loads (1.0 and 2.0, 2,000 series), one round of 1 s each (< 60 s in all)
          --out DIR          where the table (side-by-side.md) and the chart (side-by-side.png) go (default bench/results)
          --rounds N         interleaved rounds per load and relay, the figures are their medians (default 3; --short 1)
          --round-seconds S  length of one round (default 2.5; --short 1)
        Needs /usr/bin/vmagent (Debian's victoria-metrics) and the services built in the same configuration.
        """;

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var isShort = args.Contains("--short");
        string? outDirectory = null;
        int? rounds = null;
        double? seconds = null;
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
                default: throw new ArgumentException($"unknown option {args[i]}");
            }

            i++;
        }

        var options = new BenchOptions(
            isShort,
            outDirectory ?? Path.Combine(RemoteWrite.Testing.RepoPaths.Root, "bench", "results"),
            rounds ?? (isShort ? 1 : 3),
            TimeSpan.FromSeconds(seconds ?? (isShort ? 1 : 2.5)),
            isShort ? 100_000 : 1_000_000,
            TimeSpan.FromSeconds(isShort ? 2 : 8));
        if (options.Rounds < 1 || options.RoundDuration <= TimeSpan.Zero)
        {
            throw new ArgumentException("--rounds and --round-seconds must be positive");
        }

        return options;
    }
}
