using System.Numerics;

namespace RemoteWrite.Core.Limits;

/// <summary>
/// Fixed-memory estimate of the distinct series seen over the last <see cref="WindowHours"/> hours:
/// Azure counts a workspace's active series as "unique time series ingested over the previous 12
/// hours" (Microsoft.Monitor/accounts supported-metrics page, <c>ActiveTimeSeries</c>). A HyperLogLog
/// of 2^12 one-byte registers (about 1.6 % standard error) per hour, 12 of them plus the current
/// one: 53 KB per destination whatever the cardinality; the estimate merges them (register maximum).
/// <see cref="Add"/> takes a 64-bit hash of the series' labels and does not allocate; concurrent adds
/// may lose a register update to a race, which moves the estimate by far less than its error.
/// </summary>
public sealed class ActiveSeriesEstimator(TimeProvider time)
{
    public const int WindowHours = 12;
    private const int Precision = 12;
    private const int Registers = 1 << Precision;
    private const int Slots = WindowHours + 1;

    private readonly byte[][] _slots = CreateSlots();
    private readonly long[] _hourOfSlot = new long[Slots];
    private readonly Lock _rotate = new();

    public void Add(ulong hash)
    {
        var hour = time.GetUtcNow().ToUnixTimeSeconds() / 3600;
        var slot = (int)(hour % Slots);
        if (Volatile.Read(ref _hourOfSlot[slot]) != hour)
        {
            lock (_rotate)
            {
                if (_hourOfSlot[slot] != hour)
                {
                    Array.Clear(_slots[slot]);
                    Volatile.Write(ref _hourOfSlot[slot], hour);
                }
            }
        }

        var index = (int)(hash >> (64 - Precision));
        var rank = (byte)(BitOperations.LeadingZeroCount((hash << Precision) | (1UL << (Precision - 1))) + 1);
        ref var register = ref _slots[slot][index];
        if (rank > register)
        {
            register = rank;
        }
    }

    /// <summary>The estimated distinct series over the window (0 when nothing was seen).</summary>
    public long Estimate()
    {
        var hour = time.GetUtcNow().ToUnixTimeSeconds() / 3600;
        Span<byte> merged = stackalloc byte[Registers];
        merged.Clear();
        var any = false;
        for (var s = 0; s < Slots; s++)
        {
            var age = hour - Volatile.Read(ref _hourOfSlot[s]);
            if (age < 0 || age > WindowHours)
            {
                continue;
            }

            any = true;
            var registers = _slots[s];
            for (var i = 0; i < Registers; i++)
            {
                merged[i] = Math.Max(merged[i], registers[i]);
            }
        }

        return any ? Count(merged) : 0;
    }

    private static long Count(ReadOnlySpan<byte> registers)
    {
        double sum = 0;
        var zeros = 0;
        foreach (var r in registers)
        {
            sum += Math.ScaleB(1.0, -r);
            zeros += r == 0 ? 1 : 0;
        }

        const double m = Registers;
        var raw = 0.7213 / (1 + (1.079 / m)) * m * m / sum;
        // Small cardinalities: linear counting over the empty registers is exact enough and unbiased.
        return (long)Math.Round(raw <= 2.5 * m && zeros > 0 ? m * Math.Log(m / zeros) : raw);
    }

    private static byte[][] CreateSlots()
    {
        var slots = new byte[Slots][];
        for (var i = 0; i < Slots; i++)
        {
            slots[i] = new byte[Registers];
        }

        return slots;
    }
}
