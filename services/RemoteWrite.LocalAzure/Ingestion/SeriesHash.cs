using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace RemoteWrite.LocalAzure.Ingestion;

/// <summary>
/// Case-insensitive series identity: Azure's store merges label names and values that differ only
/// by case (CONTRACT §2), so labels are hashed lower-cased. Order-independent over labels, so two
/// spellings that sort differently still meet. ASCII is lowered without allocating.
/// </summary>
internal static class SeriesHash
{
    private const ulong Prime = 0x9E3779B97F4A7C15;

    public static ulong OfLabel(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
        Mix(HashLower(value, HashLower(name, 0x51_7C_C1_B7_27_22_0A_95)));

    /// <summary>Combines per-label hashes; addition makes the order irrelevant.</summary>
    public static ulong Combine(ulong sumOfLabels, int labelCount) => Mix(sumOfLabels + (ulong)labelCount * Prime);

    private static ulong HashLower(ReadOnlySpan<byte> bytes, ulong seed)
    {
        Span<byte> stack = stackalloc byte[256];
        byte[]? rented = null;
        var lower = bytes.Length <= stack.Length ? stack : (rented = ArrayPool<byte>.Shared.Rent(bytes.Length));
        try
        {
            if (Ascii.ToLower(bytes, lower, out var written) == OperationStatus.Done)
            {
                return Hash(lower[..written], seed);
            }

            // Rare: non-ASCII text is lowered through a string.
            var text = Encoding.UTF8.GetString(bytes).ToLowerInvariant();
            return Hash(Encoding.UTF8.GetBytes(text), seed);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static ulong Hash(ReadOnlySpan<byte> bytes, ulong seed)
    {
        var h = seed ^ ((ulong)bytes.Length * Prime);
        while (bytes.Length >= 8)
        {
            h = BitOperations.RotateLeft((h ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes)) * Prime, 31);
            bytes = bytes[8..];
        }

        ulong tail = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            tail |= (ulong)bytes[i] << (8 * i);
        }

        return Mix(h ^ tail ^ 0xFF);
    }

    // splitmix64 finalizer.
    private static ulong Mix(ulong x)
    {
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9;
        x ^= x >> 27;
        x *= 0x94D049BB133111EB;
        return x ^ (x >> 31);
    }
}
