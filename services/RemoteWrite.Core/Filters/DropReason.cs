namespace RemoteWrite.Core.Filters;

/// <summary>Why data was dropped on purpose; each is a label value on the dropped-samples counter.</summary>
public enum DropReason
{
    /// <summary>Older than the accepted window: Azure would drop it silently as <c>OldData</c> (CONTRACT.md §2).</summary>
    TooOld,

    /// <summary>Further in the future than the accepted window (Azure accepts ±20 minutes).</summary>
    TooNew,

    /// <summary>Over Azure's label limits: 63 labels, 511-character names, 1023-character values.</summary>
    LabelLimit,

    /// <summary>One data point whose encoding alone is over the request size limit.</summary>
    TooLarge,

    /// <summary>Rejected by Azure as never valid (400): the part is dropped after the answer.</summary>
    Rejected,

    /// <summary>Dropped by the relabel rules (<c>RELABEL_CONFIG_FILE</c>): a <c>drop</c>/<c>keep</c>-type rule, or no <c>__name__</c> left.</summary>
    Relabel,
}

public static class DropReasonNames
{
    /// <summary>The metric label value of a reason (snake case, as Prometheus labels are).</summary>
    public static string ToLabel(this DropReason reason) => reason switch
    {
        DropReason.TooOld => "too_old",
        DropReason.TooNew => "too_new",
        DropReason.LabelLimit => "label_limit",
        DropReason.TooLarge => "too_large",
        DropReason.Rejected => "rejected",
        DropReason.Relabel => "relabel",
        _ => "other",
    };
}
