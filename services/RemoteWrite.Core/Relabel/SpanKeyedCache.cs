using System.Collections.Concurrent;

namespace RemoteWrite.Core.Relabel;

/// <summary>
/// What a rule decided for a text it has seen before (a label name, a joined value), looked up by span
/// so a hit allocates nothing. Bounded: once full it stops remembering, and texts longer than
/// <see cref="MaxKeyLength"/> are never kept, so high-cardinality values cost memory only up to the bound.
/// </summary>
internal sealed class SpanKeyedCache<T>
{
    public const int MaxEntries = 4096;
    public const int MaxKeyLength = 256;

    private readonly ConcurrentDictionary<string, T> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, T>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private int _count;

    public SpanKeyedCache() => _bySpan = _entries.GetAlternateLookup<ReadOnlySpan<char>>();

    public bool TryGet(ReadOnlySpan<char> key, out T value) => _bySpan.TryGetValue(key, out value!);

    public void Remember(ReadOnlySpan<char> key, T value)
    {
        if (key.Length <= MaxKeyLength && Volatile.Read(ref _count) < MaxEntries && _bySpan.TryAdd(key, value))
        {
            Interlocked.Increment(ref _count);
        }
    }
}
