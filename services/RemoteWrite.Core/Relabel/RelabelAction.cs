namespace RemoteWrite.Core.Relabel;

/// <summary>What a rule does: Prometheus' <c>action</c> values (model/relabel/relabel.go).</summary>
public enum RelabelAction
{
    /// <summary>Sets <c>target_label</c> to the expanded <c>replacement</c> when the joined value matches (the default).</summary>
    Replace,

    /// <summary>Drops the series when the joined value does not match.</summary>
    Keep,

    /// <summary>Drops the series when the joined value matches.</summary>
    Drop,

    /// <summary>Drops the series when <c>target_label</c>'s value differs from the joined value.</summary>
    KeepEqual,

    /// <summary>Drops the series when <c>target_label</c>'s value equals the joined value.</summary>
    DropEqual,

    /// <summary>Sets <c>target_label</c> to the MD5 of the joined value modulo <c>modulus</c>.</summary>
    HashMod,

    /// <summary>Copies each label whose name matches to the name the <c>replacement</c> expands to.</summary>
    LabelMap,

    /// <summary>Removes each label whose name matches.</summary>
    LabelDrop,

    /// <summary>Removes each label whose name does not match.</summary>
    LabelKeep,

    /// <summary>Sets <c>target_label</c> to the joined value in lower case.</summary>
    Lowercase,

    /// <summary>Sets <c>target_label</c> to the joined value in upper case.</summary>
    Uppercase,
}

public static class RelabelActionNames
{
    /// <summary>Prometheus' spelling of an action; parsing ignores case, as Prometheus does.</summary>
    public static string ToName(this RelabelAction action) => action.ToString().ToLowerInvariant();

    public static bool TryParse(string text, out RelabelAction action)
    {
        foreach (var candidate in Enum.GetValues<RelabelAction>())
        {
            if (string.Equals(candidate.ToName(), text, StringComparison.OrdinalIgnoreCase))
            {
                action = candidate;
                return true;
            }
        }

        action = default;
        return false;
    }
}
