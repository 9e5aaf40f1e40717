using Microsoft.Extensions.ObjectPool;

namespace RemoteWrite.Core.Scanning;

/// <summary>
/// Scanners kept between requests with their index arrays, so a request neither rents nor grows
/// them (VictoriaMetrics pools its unmarshaler the same way). A few are kept (two per core); one
/// whose index grew past <see cref="WriteRequestScanner.MaxRetainedSeries"/> gives the arrays back
/// before it is kept, so a rare huge request leaves no large arrays behind.
/// </summary>
public static class ScannerPool
{
    private static readonly ObjectPool<WriteRequestScanner> Pool = new DefaultObjectPool<WriteRequestScanner>(new Policy());

    public static WriteRequestScanner Rent() => Pool.Get();

    public static void Return(WriteRequestScanner scanner) => Pool.Return(scanner);

    private sealed class Policy : PooledObjectPolicy<WriteRequestScanner>
    {
        public override WriteRequestScanner Create() => new();

        public override bool Return(WriteRequestScanner scanner)
        {
            scanner.TrimForReuse();
            return true;
        }
    }
}
