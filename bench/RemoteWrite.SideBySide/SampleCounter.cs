namespace RemoteWrite.SideBySide;

/// <summary>
/// Counts the samples of a decoded remote-write 1.0 <c>WriteRequest</c> without building it: field 1
/// (TimeSeries) holds field 2 (Sample) entries; everything else is skipped by wire type. The sink's own
/// walk (not Core's scanner), cheap enough that the sink is not what a saturation round measures.
/// </summary>
internal static class SampleCounter
{
    /// <summary>Samples in <paramref name="request"/>, or -1 when it is not a well-formed protobuf message.</summary>
    public static long Count(ReadOnlySpan<byte> request)
    {
        long samples = 0;
        var at = 0;
        while (at < request.Length)
        {
            if (!Field(request, ref at, out var field, out var payload))
            {
                return -1;
            }

            if (field == 1)
            {
                var inner = 0;
                while (inner < payload.Length)
                {
                    if (!Field(payload, ref inner, out var seriesField, out _))
                    {
                        return -1;
                    }

                    samples += seriesField == 2 ? 1 : 0;
                }
            }
        }

        return samples;
    }

    // One field at `at`: its number and, for a length-delimited field, its payload; false when malformed.
    private static bool Field(ReadOnlySpan<byte> data, ref int at, out ulong field, out ReadOnlySpan<byte> payload)
    {
        payload = default;
        field = 0;
        if (!Varint(data, ref at, out var key))
        {
            return false;
        }

        field = key >> 3;
        switch (key & 7)
        {
            case 0:
                return Varint(data, ref at, out _);
            case 1:
                at += 8;
                return at <= data.Length;
            case 5:
                at += 4;
                return at <= data.Length;
            case 2:
                if (!Varint(data, ref at, out var length) || length > (ulong)(data.Length - at))
                {
                    return false;
                }

                payload = data.Slice(at, (int)length);
                at += (int)length;
                return true;
            default:
                return false;
        }
    }

    private static bool Varint(ReadOnlySpan<byte> data, ref int at, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && at < data.Length; shift += 7)
        {
            var b = data[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }

        return false;
    }
}
