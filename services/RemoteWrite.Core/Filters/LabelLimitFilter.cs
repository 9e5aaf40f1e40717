using System.Text;
using RemoteWrite.Core.Buffers;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Scanning;

namespace RemoteWrite.Core.Filters;

/// <summary>
/// Applies Azure's label limits (63 labels, 511-character names, 1023-character values: the caps of
/// Azure's own collector, CONTRACT.md §2) to whole series. <see cref="OverLimitLabels.Drop"/> drops a
/// series over any limit; <see cref="OverLimitLabels.Truncate"/> cuts values over the value limit to
/// it (at a character boundary) and keeps the series, still dropping series over the label-count or
/// name limit (a cut name or a missing label would be another series). Byte lengths from the scan
/// decide cheaply; characters are counted only when the bytes are over a limit. Re-encodes only
/// when a series changes; otherwise returns null.
/// </summary>
public static class LabelLimitFilter
{
    public const int AzureMaxLabels = 63;
    public const int AzureMaxNameChars = 511;
    public const int AzureMaxValueChars = 1023;

    public static PooledBuffer? Apply(ReadOnlySpan<byte> request, WriteRequestScanner scan, LabelLimits limits, out DropCounts dropped) =>
        Apply(request, scan, limits, OverLimitLabels.Drop, out dropped, out _);

    /// <param name="truncated">Series kept with values cut to the limit.</param>
    public static PooledBuffer? Apply(ReadOnlySpan<byte> request, WriteRequestScanner scan, LabelLimits limits, OverLimitLabels mode, out DropCounts dropped, out int truncated)
    {
        dropped = default;
        truncated = 0;
        var any = false;
        foreach (ref readonly var series in scan.Series)
        {
            if (Check(request, series, limits, mode) != Verdict.Keep)
            {
                any = true;
                break;
            }
        }

        if (!any)
        {
            return null;
        }

        var writer = new PooledBufferWriter(request.Length + 16);
        try
        {
            foreach (ref readonly var series in scan.Series)
            {
                switch (Check(request, series, limits, mode))
                {
                    case Verdict.Drop:
                        dropped += new DropCounts(1, series.Samples, series.Histograms, series.Exemplars);
                        break;
                    case Verdict.Truncate:
                        truncated++;
                        WriteTruncated(series.Body(request), limits.MaxValueChars, writer);
                        break;
                    default:
                        writer.Write(series.Field(request));
                        break;
                }
            }

            foreach (ref readonly var metadata in scan.Metadata)
            {
                writer.Write(metadata.Field(request));
            }

            return writer.Detach();
        }
        finally
        {
            writer.Dispose();
        }
    }

    private enum Verdict
    {
        Keep,
        Drop,
        Truncate,
    }

    private static Verdict Check(ReadOnlySpan<byte> request, in SeriesInfo series, LabelLimits limits, OverLimitLabels mode)
    {
        if (series.LabelCount > limits.MaxLabels)
        {
            return Verdict.Drop;
        }

        // A UTF-8 string has at most as many characters as bytes: under the limit in bytes is under it in characters.
        if (series.MaxLabelNameBytes <= limits.MaxNameChars && series.MaxLabelValueBytes <= limits.MaxValueChars)
        {
            return Verdict.Keep;
        }

        var verdict = Verdict.Keep;
        var reader = new ProtoReader(series.Body(request));
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field != 1)
            {
                reader.Skip(wireType);
                continue;
            }

            WriteRequestScanner.ReadLabel(reader.ReadLengthDelimited(), out var name, out var value);
            if (name.Length > limits.MaxNameChars && Encoding.UTF8.GetCharCount(name) > limits.MaxNameChars)
            {
                return Verdict.Drop;
            }

            if (value.Length > limits.MaxValueChars && Encoding.UTF8.GetCharCount(value) > limits.MaxValueChars)
            {
                if (mode == OverLimitLabels.Drop)
                {
                    return Verdict.Drop;
                }

                verdict = Verdict.Truncate;
            }
        }

        return verdict;
    }

    // The series again with every value over the limit cut to it; labels and other fields otherwise as they were.
    private static void WriteTruncated(ReadOnlySpan<byte> body, int maxValueChars, PooledBufferWriter writer)
    {
        var size = 0;
        var reader = new ProtoReader(body);
        while (reader.TryReadField(out var field, out var whole))
        {
            size += field == 1 && TruncatedLabel(whole, maxValueChars, out var name, out var value)
                ? ProtoWriter.LengthDelimitedSize(1, LabelSize(name.Length, value.Length))
                : whole.Length;
        }

        ProtoWriter.WriteLengthPrefix(writer, 1, size);
        reader = new ProtoReader(body);
        while (reader.TryReadField(out var field, out var whole))
        {
            if (field == 1 && TruncatedLabel(whole, maxValueChars, out var name, out var value))
            {
                ProtoWriter.WriteLengthPrefix(writer, 1, LabelSize(name.Length, value.Length));
                ProtoWriter.WriteBytesField(writer, 1, name);
                ProtoWriter.WriteBytesField(writer, 2, value);
            }
            else
            {
                writer.Write(whole);
            }
        }
    }

    private static int LabelSize(int nameBytes, int valueBytes) =>
        ProtoWriter.LengthDelimitedSize(1, nameBytes) + ProtoWriter.LengthDelimitedSize(2, valueBytes);

    // True when the label's value is over the limit: then name and the value cut to the limit.
    private static bool TruncatedLabel(ReadOnlySpan<byte> wholeField, int maxValueChars, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        WriteRequestScanner.ReadLabel(ProtoReader.PayloadOf(wholeField), out name, out value);
        if (value.Length <= maxValueChars || Encoding.UTF8.GetCharCount(value) <= maxValueChars)
        {
            return false;
        }

        value = value[..PrefixBytes(value, maxValueChars)];
        return true;
    }

    /// <summary>Bytes of the longest prefix of valid UTF-8 <paramref name="utf8"/> holding at most <paramref name="maxChars"/> UTF-16 characters.</summary>
    public static int PrefixBytes(ReadOnlySpan<byte> utf8, int maxChars)
    {
        var chars = 0;
        var i = 0;
        while (i < utf8.Length)
        {
            var lead = utf8[i];
            int bytes = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
            var units = bytes == 4 ? 2 : 1;
            if (chars + units > maxChars)
            {
                break;
            }

            chars += units;
            i += bytes;
        }

        return i;
    }
}

/// <summary>What to do with a series whose labels are over Azure's limits (<c>RemoteWrite__OverLimitLabels</c>).</summary>
public enum OverLimitLabels
{
    /// <summary>Drop the series, counted with reason <c>label_limit</c>.</summary>
    Drop,

    /// <summary>Cut values over the value limit and keep the series (counted as truncated); over the label-count or name limit still drops.</summary>
    Truncate,
}

/// <summary>Label limits a destination enforces.</summary>
public sealed record LabelLimits(int MaxLabels, int MaxNameChars, int MaxValueChars)
{
    public static LabelLimits Azure { get; } = new(LabelLimitFilter.AzureMaxLabels, LabelLimitFilter.AzureMaxNameChars, LabelLimitFilter.AzureMaxValueChars);
}
