namespace RemoteWrite.SideBySide;

/// <summary>Runs the benchmark and writes its table (stdout and side-by-side.md) and chart (side-by-side.png) to the output folder.</summary>
internal sealed record BenchOutput(BenchReport Report, string Table, string TablePath, string ChartPath)
{
    public const string TableFile = "side-by-side.md";
    public const string ChartFile = "side-by-side.png";

    public static async Task<BenchOutput> RunAsync(BenchOptions options, TextWriter log)
    {
        var report = await SideBySideBenchmark.RunAsync(options, log);
        var table = MarkdownTable.Render(report);
        log.WriteLine();
        log.Write(table);
        Directory.CreateDirectory(options.OutDirectory);
        var tablePath = Path.Combine(options.OutDirectory, TableFile);
        var chartPath = Path.Combine(options.OutDirectory, ChartFile);
        await File.WriteAllTextAsync(tablePath, table);
        Chart.Save(report, chartPath);
        return new BenchOutput(report, table, tablePath, chartPath);
    }
}
