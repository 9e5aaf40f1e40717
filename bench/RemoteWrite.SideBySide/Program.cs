using RemoteWrite.SideBySide;

// dotnet run -c Release --project bench/RemoteWrite.SideBySide -- [--short] [--out bench/results]
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

if (RemoteWrite.Testing.VmagentBinary.Found is null)
{
    Console.Error.WriteLine(RemoteWrite.Testing.VmagentBinary.Missing);
    return 1;
}

var output = await BenchOutput.RunAsync(options, Console.Out);
Console.WriteLine($"table: {output.TablePath}, chart: {output.ChartPath}");
return 0;
