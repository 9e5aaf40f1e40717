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

    /// <summary>The same identity from parsed strings (UTF-8 encoded on the stack when short).</summary>
    public static ulong OfLabel(string name, string value)
    {
        var length = Encoding.UTF8.GetByteCount(name) + Encoding.UTF8.GetByteCount(value);
        byte[]? rented = null;
        var buffer = length <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(length));
        var n = Encoding.UTF8.GetBytes(name, buffer);
        var v = Encoding.UTF8.GetBytes(value, buffer[n..]);
        var hash = OfLabel(buffer[..n], buffer.Slice(n, v));
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return hash;
    }

    /// <summary>Combines per-label hashes; addition makes the order irrelevant.</summary>
    public static ulong Combine(ulong sumOfLabels, int labelCount) => Mix(sumOfLabels + (ulong)labelCount * Prime);

    // Lower-cases ASCII eight bytes at a time while hashing (no buffer); non-ASCII text, which
    // needs Unicode rules, goes through a string.
    private static ulong HashLower(ReadOnlySpan<byte> bytes, ulong seed)
    {
        if (!Ascii.IsValid(bytes))
        {
            var text = Encoding.UTF8.GetString(bytes).ToLowerInvariant();
            return Hash(Encoding.UTF8.GetBytes(text), seed);
        }

        return HashLowerAscii(bytes, seed);
    }

    private static ulong HashLowerAscii(ReadOnlySpan<byte> bytes, ulong seed)
    {
        var h = seed ^ ((ulong)bytes.Length * Prime);
        while (bytes.Length >= 8)
        {
            h = BitOperations.RotateLeft((h ^ LowerAscii(BinaryPrimitives.ReadUInt64LittleEndian(bytes))) * Prime, 31);
            bytes = bytes[8..];
        }

        ulong tail = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            tail |= (ulong)bytes[i] << (8 * i);
        }

        return Mix(h ^ LowerAscii(tail) ^ 0xFF);
    }

    // Adds 0x20 to every byte in 'A'..'Z' of eight ASCII bytes (the high bit of each lane marks a match).
    private static ulong LowerAscii(ulong x)
    {
        const ulong ones = 0x0101010101010101;
        var atLeastA = x + ((0x80 - 'A') * ones);
        var pastZ = x + ((0x80 - 'Z' - 1) * ones);
        var upper = (atLeastA ^ pastZ) & 0x8080808080808080;
        return x | (upper >> 2);
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
