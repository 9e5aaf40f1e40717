using System.Text;
using RemoteWrite.Core.Buffers;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Scanning;

namespace RemoteWrite.Core.Filters;

/// <summary>
/// Drops whole series over Azure's label limits (63 labels, 511-character names, 1023-character
/// values: the caps of Azure's own collector, CONTRACT.md §2). Byte lengths from the scan decide
/// cheaply; characters are counted only when the bytes are over a limit. Re-encodes only when a
/// series is dropped; otherwise returns null.
/// </summary>
public static class LabelLimitFilter
{
    public const int AzureMaxLabels = 63;
    public const int AzureMaxNameChars = 511;
    public const int AzureMaxValueChars = 1023;

    public static PooledBuffer? Apply(ReadOnlySpan<byte> request, WriteRequestScanner scan, LabelLimits limits, out DropCounts dropped)
    {
        dropped = default;
        var any = false;
        foreach (ref readonly var series in scan.Series)
        {
            if (IsOver(request, series, limits))
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
                if (IsOver(request, series, limits))
                {
                    dropped += new DropCounts(1, series.Samples, series.Histograms, series.Exemplars);
                    continue;
                }

                writer.Write(series.Field(request));
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

    private static bool IsOver(ReadOnlySpan<byte> request, in SeriesInfo series, LabelLimits limits)
    {
        if (series.LabelCount > limits.MaxLabels)
        {
            return true;
        }

        // A UTF-8 string has at most as many characters as bytes: under the limit in bytes is under it in characters.
        if (series.MaxLabelNameBytes <= limits.MaxNameChars && series.MaxLabelValueBytes <= limits.MaxValueChars)
        {
            return false;
        }

        var reader = new ProtoReader(series.Body(request));
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field != 1)
            {
                reader.Skip(wireType);
                continue;
            }

            WriteRequestScanner.ReadLabel(reader.ReadLengthDelimited(), out var name, out var value);
            if ((name.Length > limits.MaxNameChars && Encoding.UTF8.GetCharCount(name) > limits.MaxNameChars)
                || (value.Length > limits.MaxValueChars && Encoding.UTF8.GetCharCount(value) > limits.MaxValueChars))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Label limits a destination enforces.</summary>
public sealed record LabelLimits(int MaxLabels, int MaxNameChars, int MaxValueChars)
{
    public static LabelLimits Azure { get; } = new(LabelLimitFilter.AzureMaxLabels, LabelLimitFilter.AzureMaxNameChars, LabelLimitFilter.AzureMaxValueChars);
}
