using RemoteWrite.SideBySide;
using RemoteWrite.Testing;
using Xunit.Abstractions;

namespace RemoteWrite.Load.Tests;

/// <summary>
/// CI's short mode of the side-by-side benchmark (bench/RemoteWrite.SideBySide, issue 11): it runs vmagent
/// and the relay in front of the counting sink and writes the table and the chart. Only that it ran and
/// measured something is checked, never a threshold: the machine is shared and the figures move.
/// </summary>
[Slow]
public sealed class SideBySideShortModeTests(ITestOutputHelper output)
{
    [VmagentFact]
    public async Task Short_mode_measures_vmagent_and_the_relay_and_writes_the_table_and_chart()
    {
        var directory = Directory.CreateTempSubdirectory("side-by-side-");
        try
        {
            using var log = new StringWriter();
            var options = BenchOptions.Parse(["--short", "--out", directory.FullName]);
            var run = await BenchOutput.RunAsync(options, log);
            output.WriteLine(log.ToString());

            var workloads = Workload.For(isShort: true);
            Assert.True(run.Report.Duration < TimeSpan.FromSeconds(90), $"short mode took {run.Report.Duration.TotalSeconds:0} s");
            foreach (var workload in workloads)
            {
                var contenders = workload.Protocol == 1 ? new[] { Contender.Vmagent, Contender.Relay } : [Contender.Relay];
                foreach (var contender in contenders)
                {
                    var row = Assert.Single(run.Report.Rows, r => r.Workload == workload && r.Contender == contender);
                    Assert.True(row.NanosecondsPerSample > 0, $"{workload.Name}, {contender}: no CPU per sample");
                    Assert.True(row.SamplesPerSecond > 0, $"{workload.Name}, {contender}: no samples/s");
                    Assert.True(row.P99 > TimeSpan.Zero, $"{workload.Name}, {contender}: no latency");
                    Assert.True(row.PeakRssBytes > 0, $"{workload.Name}, {contender}: no peak RSS");
                }

                Assert.Single(run.Report.Rows, r => r.Workload == workload && r.Contender == Contender.Sink);
            }

            var table = await File.ReadAllTextAsync(run.TablePath);
            Assert.Equal(run.Table, table);
            Assert.Contains($"| {Contender.Vmagent} |", table);
            Assert.Contains($"| {Contender.Relay} |", table);
            var png = await File.ReadAllBytesAsync(run.ChartPath);
            Assert.True(png.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G']), "the chart is not a PNG");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
