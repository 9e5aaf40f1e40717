using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace RemoteWrite.Core.Relabel;

/// <summary>
/// One validated rule, ready to run: Prometheus' <c>relabel</c> function (model/relabel/relabel.go,
/// the current version; where 2.x differed, the comment says so) over a <see cref="RelabelLabels"/>.
/// </summary>
public sealed class RelabelRule
{
    private readonly string[] _sourceLabels;
    private readonly string _separator;
    private readonly RelabelTemplate _target;
    private readonly RelabelTemplate _replacement;
    private readonly bool _fastReplace;

    // Verdicts on label names for labeldrop/labelkeep/labelmap: names repeat across series, so each is decided once.
    private readonly SpanKeyedCache<string?> _names = new();

    // replace: the (target, value) a joined value expands to, null when nothing is set; source values
    // such as job or namespace repeat across series, so the regex and its groups run once per value.
    private readonly SpanKeyedCache<Expansion?> _replacements = new();

    internal RelabelRule(RelabelAction action, string[] sourceLabels, string separator, RelabelRegex regex, ulong modulus, string targetLabel, string replacement)
    {
        Action = action;
        _sourceLabels = sourceLabels;
        _separator = separator;
        Regex = regex;
        Modulus = modulus;
        TargetLabel = targetLabel;
        Replacement = replacement;
        _target = RelabelTemplate.Parse(targetLabel, regex);
        _replacement = RelabelTemplate.Parse(replacement, regex);

        // Prometheus' fast path: a constant pair, set whenever the joined value is empty.
        _fastReplace = regex.MatchesEverything && !_target.HasVariables && !_replacement.HasVariables;
    }

    public RelabelAction Action { get; }

    public IReadOnlyList<string> SourceLabels => _sourceLabels;

    public string Separator => _separator;

    public RelabelRegex Regex { get; }

    public ulong Modulus { get; }

    public string TargetLabel { get; }

    public string Replacement { get; }

    /// <summary>Runs the rule on <paramref name="labels"/>; false when the series is to be dropped.</summary>
    public bool Apply(RelabelLabels labels)
    {
        var joined = Join(labels);
        switch (Action)
        {
            case RelabelAction.Drop:
                return !Regex.IsMatch(joined);
            case RelabelAction.Keep:
                return Regex.IsMatch(joined);
            case RelabelAction.DropEqual:
                return !labels.Get(TargetLabel).SequenceEqual(joined);
            case RelabelAction.KeepEqual:
                return labels.Get(TargetLabel).SequenceEqual(joined);
            case RelabelAction.Replace:
                Replace(labels, joined);
                return true;
            case RelabelAction.Lowercase:
            case RelabelAction.Uppercase:
                CharBuffers.Ensure(ref labels.Value, joined.Length);
                var cased = labels.Value.AsSpan(0, joined.Length);
                _ = Action == RelabelAction.Lowercase ? joined.ToLowerInvariant(cased) : joined.ToUpperInvariant(cased);
                labels.Set(TargetLabel, cased);
                return true;
            case RelabelAction.HashMod:
                Span<char> digits = stackalloc char[20];
                HashMod(joined, Modulus).TryFormat(digits, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
                labels.Set(TargetLabel, digits[..written]);
                return true;
            case RelabelAction.LabelMap:
                foreach (var label in labels.Snapshot())
                {
                    if (MappedName(labels.Slice(label.NameStart, label.NameLength)) is { } mapped)
                    {
                        labels.Set(mapped, labels.Slice(label.ValueStart, label.ValueLength));
                    }
                }

                return true;
            case RelabelAction.LabelDrop:
            case RelabelAction.LabelKeep:
                foreach (var label in labels.Snapshot())
                {
                    var name = labels.Slice(label.NameStart, label.NameLength);
                    if (NameMatches(name) == (Action == RelabelAction.LabelDrop))
                    {
                        labels.Delete(name);
                    }
                }

                return true;
            default:
                throw new InvalidOperationException($"unknown relabel action {Action}");
        }
    }

    /// <summary>Prometheus' hashmod: MD5 of the UTF-8 value, its last 8 bytes as a big-endian integer, modulo <paramref name="modulus"/>.</summary>
    public static ulong HashMod(ReadOnlySpan<char> value, ulong modulus)
    {
        var byteCount = Encoding.UTF8.GetByteCount(value);
        var rented = byteCount > 512 ? System.Buffers.ArrayPool<byte>.Shared.Rent(byteCount) : null;
        var bytes = rented is null ? stackalloc byte[byteCount] : rented.AsSpan(0, byteCount);
        Encoding.UTF8.GetBytes(value, bytes);
        Span<byte> hash = stackalloc byte[MD5.HashSizeInBytes];
        MD5.HashData(bytes, hash);
        if (rented is not null)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }

        return BinaryPrimitives.ReadUInt64BigEndian(hash[8..]) % modulus;
    }

    private ReadOnlySpan<char> Join(RelabelLabels labels)
    {
        var length = 0;
        for (var i = 0; i < _sourceLabels.Length; i++)
        {
            if (i > 0)
            {
                CharBuffers.Append(ref labels.Joined, ref length, _separator);
            }

            CharBuffers.Append(ref labels.Joined, ref length, labels.Get(_sourceLabels[i]));
        }

        return labels.Joined.AsSpan(0, length);
    }

    private void Replace(RelabelLabels labels, ReadOnlySpan<char> joined)
    {
        if (_fastReplace && joined.IsEmpty)
        {
            labels.Set(TargetLabel, Replacement);
            return;
        }

        if (!_replacements.TryGet(joined, out var expansion))
        {
            expansion = Expand(joined);
            _replacements.Remember(joined, expansion);
        }

        if (expansion is not null)
        {
            labels.Set(expansion.Target, expansion.Value);
        }
    }

    private Expansion? Expand(ReadOnlySpan<char> joined)
    {
        Span<int> groups = stackalloc int[2 * Math.Min(Regex.GroupCount, 32)];
        if (!Regex.TryMatch(joined, groups))
        {
            // No match: no replacement takes place.
            return null;
        }

        var buffer = CharBuffers.Rent(joined.Length + TargetLabel.Length + Replacement.Length);
        try
        {
            var targetLength = _target.Expand(joined, groups, ref buffer, 0);
            if (!RelabelRules.IsValidLabelName(buffer.AsSpan(0, targetLength)))
            {
                // Prometheus 3 leaves the labels as they are; 2.x deleted the unexpanded target_label.
                return null;
            }

            var valueLength = _replacement.Expand(joined, groups, ref buffer, targetLength);

            // An empty value deletes the target (Set does).
            return new Expansion(new string(buffer, 0, targetLength), new string(buffer, targetLength, valueLength - targetLength));
        }
        finally
        {
            CharBuffers.Return(buffer);
        }
    }

    private bool NameMatches(ReadOnlySpan<char> name)
    {
        if (_names.TryGet(name, out var verdict))
        {
            return verdict is not null;
        }

        var matches = Regex.IsMatch(name);
        _names.Remember(name, matches ? "" : null);
        return matches;
    }

    // labelmap: the new name for a matching name, or null. A name that would not be a valid
    // label name is not set (Prometheus would set it; a destination would refuse the series).
    private string? MappedName(ReadOnlySpan<char> name)
    {
        if (_names.TryGet(name, out var mapped))
        {
            return mapped;
        }

        Span<int> groups = stackalloc int[2 * Math.Min(Regex.GroupCount, 32)];
        string? result = null;
        if (Regex.TryMatch(name, groups))
        {
            var buffer = CharBuffers.Rent(name.Length + Replacement.Length);
            var length = _replacement.Expand(name, groups, ref buffer, 0);
            var expanded = buffer.AsSpan(0, length);
            result = RelabelRules.IsValidLabelName(expanded) ? expanded.ToString() : null;
            CharBuffers.Return(buffer);
        }

        _names.Remember(name, result);
        return result;
    }

    private sealed record Expansion(string Target, string Value);
}
