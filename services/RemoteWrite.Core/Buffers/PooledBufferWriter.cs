using System.Buffers;
using System.Runtime.CompilerServices;
using RemoteWrite.Core.Errors;

namespace RemoteWrite.Core.Buffers;

/// <summary>
/// A growable byte writer on pooled arrays with a hard size cap, so a re-encoding step can never
/// use unbounded memory: past <see cref="MaxLength"/> it throws <see cref="RemoteWriteError.TooLarge"/>.
/// </summary>
public sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private byte[] _array;
    private int _length;

    public PooledBufferWriter(int initialCapacity = 4096, int maxLength = int.MaxValue)
    {
        MaxLength = maxLength;
        _array = BytePool.Rent(Math.Max(initialCapacity, 256));
    }

    public int MaxLength { get; }

    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, _length);

    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, _length);

    public void Clear() => _length = 0;

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_length + count > _array.Length)
        {
            throw new InvalidOperationException("Advanced past the buffer.");
        }

        _length += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsSpan(_length);
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_array.AsSpan(_length));
        _length += bytes.Length;
    }

    public void WriteByte(byte value)
    {
        Ensure(1);
        _array[_length++] = value;
    }

    /// <summary>Hands the written bytes over as a <see cref="PooledBuffer"/>; this writer is empty afterwards.</summary>
    public PooledBuffer Detach()
    {
        var result = new PooledBuffer(_array, _length);
        _array = BytePool.Rent(256);
        _length = 0;
        return result;
    }

    // Called for every write: the common case (room left) inlines to one comparison.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Ensure(int sizeHint)
    {
        if (sizeHint > 0 && sizeHint <= _array.Length - _length && _length + sizeHint <= MaxLength)
        {
            return;
        }

        Grow(sizeHint);
    }

    private void Grow(int sizeHint)
    {
        var needed = (long)_length + Math.Max(sizeHint, 1);
        if (needed > MaxLength)
        {
            throw RemoteWriteException.TooLarge($"decoded request exceeds {MaxLength} bytes");
        }

        if (needed <= _array.Length)
        {
            return;
        }

        var size = (int)Math.Min(Math.Max(needed, (long)_array.Length * 2), Math.Min(MaxLength, Array.MaxLength));
        var next = BytePool.Rent(size);
        _array.AsSpan(0, _length).CopyTo(next);
        BytePool.Return(_array);
        _array = next;
    }

    public void Dispose()
    {
        var array = Interlocked.Exchange(ref _array, null!);
        if (array is not null)
        {
            BytePool.Return(array);
        }
    }
}
