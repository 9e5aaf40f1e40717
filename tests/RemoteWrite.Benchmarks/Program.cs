using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/RemoteWrite.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(RemoteWrite.Benchmarks.ProtocolBenchmarks).Assembly).Run(args);
