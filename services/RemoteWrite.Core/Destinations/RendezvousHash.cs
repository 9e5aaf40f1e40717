namespace RemoteWrite.Core.Destinations;

/// <summary>
/// Rendezvous (highest random weight) hashing: a series goes to the endpoint with the highest score
/// of (series hash, endpoint hash). Taking an endpoint out moves only its own series, each to its
/// next-best endpoint; when it comes back they return. Deterministic across restarts (FNV-1a, no
/// per-process seed), so one series goes to one endpoint for as long as that endpoint is healthy.
/// </summary>
public static class RendezvousHash
{
    private const ulong FnvOffset = 14695981039346656037;
    private const ulong FnvPrime = 1099511628211;

    /// <summary>FNV-1a over <paramref name="bytes"/>, continuing from <paramref name="hash"/>.</summary>
    public static ulong Hash(ReadOnlySpan<byte> bytes, ulong hash = FnvOffset)
    {
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * FnvPrime;
        }

        return hash;
    }

    public static ulong Hash(string text) => Hash(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>The index in <paramref name="candidates"/> (endpoint hashes) that <paramref name="key"/> goes to; -1 when there is none.</summary>
    public static int Choose(ulong key, ReadOnlySpan<ulong> candidates)
    {
        var best = -1;
        ulong bestScore = 0;
        for (var i = 0; i < candidates.Length; i++)
        {
            var score = Mix(key ^ candidates[i]);
            if (best < 0 || score > bestScore)
            {
                best = i;
                bestScore = score;
            }
        }

        return best;
    }

    // splitmix64's finalizer: spreads the XOR of two hashes over all bits.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
        z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
        return z ^ (z >> 31);
    }
}
