namespace RemoteWrite.Core.Relabel;

/// <summary>
/// One rule as written, before validation: the fields Prometheus accepts under
/// <c>write_relabel_configs</c>. A null field was not given (so its default applies); an empty
/// string was given empty (Prometheus keeps an explicit <c>separator: ""</c> or <c>replacement: ""</c>).
/// </summary>
public sealed record RelabelConfig
{
    public IReadOnlyList<string>? SourceLabels { get; init; }

    public string? Separator { get; init; }

    /// <summary>The pattern; a key given with no value is the empty pattern, as in Prometheus.</summary>
    public string? Regex { get; init; }

    public ulong? Modulus { get; init; }

    public string? TargetLabel { get; init; }

    public string? Replacement { get; init; }

    public string? Action { get; init; }

    /// <summary>Line of the rule in its file (1-based), 0 when not from a file: for error messages.</summary>
    public int Line { get; init; }
}
