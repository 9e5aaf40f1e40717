namespace RemoteWrite.Core.Buffers;

/// <summary>
/// Bytes in an array rented from <see cref="BytePool"/>. The owner disposes it once,
/// which returns the array; the memory must not be used after that.
/// </summary>
public sealed class PooledBuffer : IDisposable
{
    private byte[]? _array;

    internal PooledBuffer(byte[] array, int length)
    {
        _array = array;
        Length = length;
    }

    /// <summary>Rents an array of at least <paramref name="capacity"/> bytes; length starts at the capacity.</summary>
    public static PooledBuffer Rent(int capacity) => new(BytePool.Rent(Math.Max(capacity, 1)), capacity);

    /// <summary>Copies <paramref name="bytes"/> into a new pooled buffer.</summary>
    public static PooledBuffer CopyOf(ReadOnlySpan<byte> bytes)
    {
        var buffer = Rent(bytes.Length);
        bytes.CopyTo(buffer.Array);
        return buffer;
    }

    public int Length { get; private set; }

    /// <summary>The length of the rented array: the memory this buffer holds.</summary>
    public int Capacity => Array.Length;

    internal byte[] Array => _array ?? throw new ObjectDisposedException(nameof(PooledBuffer));

    public ReadOnlyMemory<byte> Memory => new(Array, 0, Length);

    public ReadOnlySpan<byte> Span => new(Array, 0, Length);

    /// <summary>Writable view of the whole rented array (for the code that fills it).</summary>
    internal Span<byte> WritableSpan => Array;

    internal void SetLength(int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Array.Length);
        Length = length;
    }

    /// <summary>This buffer, or when a smaller pooled array holds it, a copy in one (this one disposed).</summary>
    public PooledBuffer TrimmedToLength()
    {
        if (BytePool.RentedLength(Length) >= Array.Length)
        {
            return this;
        }

        var trimmed = CopyOf(Span);
        Dispose();
        return trimmed;
    }

    public void Dispose()
    {
        var array = Interlocked.Exchange(ref _array, null);
        if (array is not null)
        {
            BytePool.Return(array);
        }
    }
}
