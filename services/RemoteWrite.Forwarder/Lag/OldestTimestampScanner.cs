using System.Buffers.Text;
using RemoteWrite.Dapr;

namespace RemoteWrite.Forwarder.Lag;

/// <summary>
/// Finds <c>"rw-min-ms":"&lt;ms&gt;"</c> in a bulk delivery's JSON as it streams past, without parsing
/// it: daprd writes each entry's message metadata into the entry's <c>metadata</c> object
/// (CONTRACT.md §4b, DeliverBulk), and the key cannot occur inside an event (base64 has no quotes, a
/// CloudEvent has no such key). A vectorized search costs far less than a second JSON parse.
/// </summary>
public sealed class OldestTimestampScanner(InFlightDelivery delivery)
{
    private static readonly byte[] Key = System.Text.Encoding.ASCII.GetBytes($"\"{HandOff.MinTimestampKey}\"");

    // A key plus separator and a 19-digit number fits: enough of the previous chunk to find a match across reads.
    private static readonly int Overlap = Key.Length + 32;

    private readonly byte[] _carry = new byte[Overlap];
    private int _carryLength;

    public void Scan(ReadOnlySpan<byte> chunk)
    {
        if (chunk.IsEmpty)
        {
            return;
        }

        if (_carryLength > 0)
        {
            Span<byte> seam = stackalloc byte[Overlap * 2];
            _carry.AsSpan(0, _carryLength).CopyTo(seam);
            var head = chunk[..Math.Min(chunk.Length, Overlap)];
            head.CopyTo(seam[_carryLength..]);
            ScanAll(seam[..(_carryLength + head.Length)]);
        }

        ScanAll(chunk);
        Remember(chunk);
    }

    private void ScanAll(ReadOnlySpan<byte> span)
    {
        while (true)
        {
            var at = span.IndexOf(Key);
            if (at < 0)
            {
                return;
            }

            span = span[(at + Key.Length)..];
            var value = span.TrimStart(" \t\r\n"u8);
            if (value.IsEmpty || value[0] != (byte)':')
            {
                continue;
            }

            value = value[1..].TrimStart(" \t\r\n"u8);
            if (!value.IsEmpty && value[0] == (byte)'"' && Utf8Parser.TryParse(value[1..], out long ms, out var used) && used > 0 && value.Length > used + 1 && value[used + 1] == (byte)'"')
            {
                delivery.Saw(ms);
            }
        }
    }

    private void Remember(ReadOnlySpan<byte> chunk)
    {
        if (chunk.Length >= Overlap)
        {
            chunk[^Overlap..].CopyTo(_carry);
            _carryLength = Overlap;
            return;
        }

        // A short read: keep the end of carry + chunk.
        var keep = Math.Min(Overlap - chunk.Length, _carryLength);
        _carry.AsSpan(_carryLength - keep, keep).CopyTo(_carry);
        chunk.CopyTo(_carry.AsSpan(keep));
        _carryLength = keep + chunk.Length;
    }
}
