using System.Buffers;
using System.Numerics;

namespace RemoteWrite.Core.Buffers;

/// <summary>
/// Where every pooled byte array comes from. Arrays up to 1 MiB (request bodies of Prometheus,
/// Azure parts) come from <see cref="ArrayPool{T}.Shared"/>, fastest for them. Larger ones (decoded
/// vmagent bodies, up to 32 MiB) come from a pool without per-thread caches that keeps at most four
/// arrays of each size: the shared pool keeps one per thread and size, so 64 requests on 64 threads
/// could leave 64 idle 32 MiB arrays behind, while memory must stay bounded by the admission budget.
/// </summary>
public static class BytePool
{
    /// <summary>Largest array taken from the shared pool.</summary>
    public const int SharedMaxBytes = 1024 * 1024;

    private static readonly ArrayPool<byte> Large = ArrayPool<byte>.Create(maxArrayLength: 64 * 1024 * 1024, maxArraysPerBucket: 4);

    public static byte[] Rent(int minimumLength) =>
        minimumLength <= SharedMaxBytes ? ArrayPool<byte>.Shared.Rent(minimumLength) : Large.Rent(minimumLength);

    /// <summary>Gives back an array from <see cref="Rent"/> (its length says which pool it came from).</summary>
    public static void Return(byte[] array)
    {
        if (array.Length <= SharedMaxBytes)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
        else
        {
            Large.Return(array);
        }
    }

    /// <summary>The length of the array a rent of <paramref name="minimumLength"/> bytes holds: both pools round up to a power of two.</summary>
    public static long RentedLength(int minimumLength) =>
        minimumLength <= 16 ? 16 : (long)BitOperations.RoundUpToPowerOf2((uint)minimumLength);
}
