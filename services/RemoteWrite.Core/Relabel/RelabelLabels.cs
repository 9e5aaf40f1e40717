using System.Buffers;
using System.Text;

namespace RemoteWrite.Core.Relabel;

/// <summary>
/// One series' label set while rules run on it (Prometheus' <c>labels.Builder</c>): names and values
/// are ranges of one pooled char arena, so relabelling a series allocates nothing. Setting an empty
/// value deletes the label, as in Prometheus. Reused series after series; dispose to return the arrays.
/// </summary>
public sealed class RelabelLabels : IDisposable
{
    private char[] _text = CharBuffers.Rent(1024);
    private int _textLength;
    private LabelRange[] _labels = ArrayPool<LabelRange>.Shared.Rent(32);
    private LabelRange[] _snapshot = ArrayPool<LabelRange>.Shared.Rent(32);
    private readonly List<char[]> _retired = [];

    // Scratch text for one rule: the joined source values, and a value it computes from them.
    internal char[] Joined = CharBuffers.Rent(256);
    internal char[] Value = CharBuffers.Rent(256);

    public int Count { get; private set; }

    /// <summary>True once a rule changed a label since <see cref="Clear"/>.</summary>
    public bool Changed { get; private set; }

    public ReadOnlySpan<char> NameAt(int index) => Slice(_labels[index].NameStart, _labels[index].NameLength);

    public ReadOnlySpan<char> ValueAt(int index) => Slice(_labels[index].ValueStart, _labels[index].ValueLength);

    public void Clear()
    {
        Count = 0;
        _textLength = 0;
        Changed = false;
        ReturnRetired();
    }

    /// <summary>Adds a label read from the wire (valid UTF-8, checked by the scanner).</summary>
    public void AddUtf8(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        var nameStart = _textLength;
        var nameLength = AppendUtf8(name);
        var valueStart = _textLength;
        var valueLength = AppendUtf8(value);
        Append(new LabelRange(nameStart, nameLength, valueStart, valueLength));
    }

    public void Add(ReadOnlySpan<char> name, ReadOnlySpan<char> value)
    {
        var nameStart = AppendText(name);
        var valueStart = AppendText(value);
        Append(new LabelRange(nameStart, name.Length, valueStart, value.Length));
    }

    public int IndexOf(ReadOnlySpan<char> name)
    {
        for (var i = 0; i < Count; i++)
        {
            if (NameAt(i).SequenceEqual(name))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The value of <paramref name="name"/>; empty when absent (as Prometheus' <c>Get</c>).</summary>
    public ReadOnlySpan<char> Get(ReadOnlySpan<char> name)
    {
        var i = IndexOf(name);
        return i < 0 ? default : ValueAt(i);
    }

    /// <summary>Sets a label; an empty value deletes it.</summary>
    public void Set(ReadOnlySpan<char> name, ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            Delete(name);
            return;
        }

        var i = IndexOf(name);
        if (i >= 0)
        {
            if (ValueAt(i).SequenceEqual(value))
            {
                return;
            }

            var valueStart = AppendText(value);
            _labels[i] = _labels[i] with { ValueStart = valueStart, ValueLength = value.Length };
        }
        else
        {
            Add(name, value);
        }

        Changed = true;
    }

    public void Delete(ReadOnlySpan<char> name)
    {
        var i = IndexOf(name);
        if (i < 0)
        {
            return;
        }

        Array.Copy(_labels, i + 1, _labels, i, Count - i - 1);
        Count--;
        Changed = true;
    }

    /// <summary>The labels as they are now, for a rule that walks them while changing them (Prometheus' <c>Range</c> works on a copy).</summary>
    internal ReadOnlySpan<LabelRange> Snapshot()
    {
        if (_snapshot.Length < Count)
        {
            ArrayPool<LabelRange>.Shared.Return(_snapshot);
            _snapshot = ArrayPool<LabelRange>.Shared.Rent(Count);
        }

        _labels.AsSpan(0, Count).CopyTo(_snapshot);
        return _snapshot.AsSpan(0, Count);
    }

    internal ReadOnlySpan<char> Slice(int start, int length) => _text.AsSpan(start, length);

    /// <summary>Label indexes in Prometheus' order: by name, compared as UTF-8 bytes (Go's string order).</summary>
    public void SortedOrder(Span<int> order)
    {
        for (var i = 0; i < Count; i++)
        {
            order[i] = i;
        }

        // Insertion sort: a series has a few dozen labels at most, and they usually arrive sorted.
        for (var i = 1; i < Count; i++)
        {
            var current = order[i];
            var j = i - 1;
            while (j >= 0 && CompareUtf8Order(NameAt(order[j]), NameAt(current)) > 0)
            {
                order[j + 1] = order[j];
                j--;
            }

            order[j + 1] = current;
        }
    }

    public void Dispose()
    {
        ReturnRetired();
        CharBuffers.Return(_text);
        CharBuffers.Return(Joined);
        CharBuffers.Return(Value);
        ArrayPool<LabelRange>.Shared.Return(_labels);
        ArrayPool<LabelRange>.Shared.Return(_snapshot);
        _text = Joined = Value = [];
        _labels = _snapshot = [];
    }

    // UTF-16 order equals UTF-8 byte order except that surrogates (U+D800–DFFF, which encode
    // characters above U+FFFF) must sort after U+E000–FFFF.
    private static int CompareUtf8Order(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            if (a[i] != b[i])
            {
                return Weight(a[i]) - Weight(b[i]);
            }
        }

        return a.Length - b.Length;
    }

    private static int Weight(char c) => char.IsSurrogate(c) ? c + 0x2000 : c >= 0xE000 ? c - 0x800 : c;

    private void Append(LabelRange label)
    {
        if (Count == _labels.Length)
        {
            var next = ArrayPool<LabelRange>.Shared.Rent(Count * 2);
            _labels.AsSpan(0, Count).CopyTo(next);
            ArrayPool<LabelRange>.Shared.Return(_labels);
            _labels = next;
        }

        _labels[Count++] = label;
    }

    private int AppendUtf8(ReadOnlySpan<byte> utf8)
    {
        EnsureText(_textLength + utf8.Length);
        var written = Encoding.UTF8.GetChars(utf8, _text.AsSpan(_textLength));
        _textLength += written;
        return written;
    }

    private int AppendText(ReadOnlySpan<char> text)
    {
        var start = _textLength;
        EnsureText(_textLength + text.Length);
        text.CopyTo(_text.AsSpan(_textLength));
        _textLength += text.Length;
        return start;
    }

    // The old arena is kept until Clear: callers may hold spans of it while they set a label.
    private void EnsureText(int needed)
    {
        if (needed <= _text.Length)
        {
            return;
        }

        var next = CharBuffers.Rent(Math.Max(needed, _text.Length * 2));
        _text.AsSpan(0, _textLength).CopyTo(next);
        _retired.Add(_text);
        _text = next;
    }

    private void ReturnRetired()
    {
        foreach (var array in _retired)
        {
            CharBuffers.Return(array);
        }

        _retired.Clear();
    }

    internal readonly record struct LabelRange(int NameStart, int NameLength, int ValueStart, int ValueLength);
}
