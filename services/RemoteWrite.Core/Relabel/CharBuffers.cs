using System.Buffers;

namespace RemoteWrite.Core.Relabel;

/// <summary>Growable pooled char arrays for relabelling's text, so a request's labels cost no string per label.</summary>
internal static class CharBuffers
{
    public static char[] Rent(int length) => ArrayPool<char>.Shared.Rent(Math.Max(length, 64));

    public static void Return(char[] array)
    {
        if (array.Length > 0)
        {
            ArrayPool<char>.Shared.Return(array);
        }
    }

    public static void Append(ref char[] buffer, ref int length, ReadOnlySpan<char> text)
    {
        Ensure(ref buffer, length + text.Length);
        text.CopyTo(buffer.AsSpan(length));
        length += text.Length;
    }

    public static void Ensure(ref char[] buffer, int needed)
    {
        if (needed <= buffer.Length)
        {
            return;
        }

        var next = Rent(Math.Max(needed, buffer.Length * 2));
        buffer.CopyTo(next, 0);
        Return(buffer);
        buffer = next;
    }
}
