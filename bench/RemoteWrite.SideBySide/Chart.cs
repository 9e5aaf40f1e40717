using ScottPlot;

namespace RemoteWrite.SideBySide;

/// <summary>The report as a PNG (ScottPlot): CPU per sample and samples/s per load, vmagent beside the relay.</summary>
internal static class Chart
{
    private static readonly Color VmagentColor = Color.FromHex("#8c8c8c");
    private static readonly Color RelayColor = Color.FromHex("#1f77b4");

    public static void Save(BenchReport report, string path)
    {
        var workloads = report.Rows.Select(r => r.Workload).Distinct().ToList();
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        Panel(multiplot.GetPlot(0), report, workloads, "CPU per sample (µs, lower is better)", r => r.NanosecondsPerSample / 1000);
        Panel(multiplot.GetPlot(1), report, workloads, "samples/s at saturation (millions)", r => r.SamplesPerSecond / 1e6);
        multiplot.SavePng(path, 1200, 450);
    }

    private static void Panel(Plot plot, BenchReport report, List<Workload> workloads, string title, Func<Figures, double?> value)
    {
        var bars = new List<Bar>();
        for (var i = 0; i < workloads.Count; i++)
        {
            foreach (var (contender, offset, color) in new[] { (Contender.Vmagent, -0.2, VmagentColor), (Contender.Relay, 0.2, RelayColor) })
            {
                if (report.Rows.FirstOrDefault(r => r.Workload == workloads[i] && r.Contender == contender) is { } row && value(row) is { } v)
                {
                    bars.Add(new Bar { Position = i + offset, Value = v, Size = 0.4, FillColor = color });
                }
            }
        }

        plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, workloads.Count).Select(i => (double)i).ToArray(), workloads.Select(w => w.ChartLabel).ToArray());
        plot.Axes.Bottom.Label.Text = "series per request (remote-write 1.0 unless 2.0)";
        plot.Axes.Margins(bottom: 0, top: 0.3); // room for the legend above the tallest bar
        plot.Title(title);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = Contender.Vmagent, FillColor = VmagentColor });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = Contender.Relay, FillColor = RelayColor });
        plot.ShowLegend(Alignment.UpperRight);
    }
}
