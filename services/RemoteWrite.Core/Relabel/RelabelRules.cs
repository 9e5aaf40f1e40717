namespace RemoteWrite.Core.Relabel;

/// <summary>
/// A validated, compiled list of relabel rules, applied in order (Prometheus' <c>write_relabel_configs</c>).
/// Immutable and safe to share between requests; whoever sends somewhere owns one: the receiver's
/// comes from <c>RELABEL_CONFIG_FILE</c>, and a destination may load its own with <see cref="Load"/>.
/// </summary>
public sealed class RelabelRules
{
    private readonly RelabelRule[] _rules;

    public RelabelRules(IReadOnlyList<RelabelRule> rules) => _rules = [.. rules];

    /// <summary>No rules: the request path skips relabelling entirely.</summary>
    public static RelabelRules None { get; } = new([]);

    public IReadOnlyList<RelabelRule> Rules => _rules;

    public bool IsEmpty => _rules.Length == 0;

    /// <summary>Reads and compiles a rule file; throws <see cref="RelabelConfigException"/> listing every problem.</summary>
    public static RelabelRules Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new RelabelConfigException([$"{path}: cannot be read: {e.Message}"]);
        }

        var problems = new List<string>();
        var rules = Parse(text, problems);
        return problems.Count == 0 ? rules : throw new RelabelConfigException(problems.Select(p => $"{path}: {p}").ToList());
    }

    /// <summary>Compiles YAML text; every problem is added to <paramref name="problems"/> (one line each).</summary>
    public static RelabelRules Parse(string yaml, ICollection<string> problems) =>
        Compile(RelabelYaml.Parse(yaml, problems), problems);

    /// <summary>Validates and compiles rules as Prometheus does at load (model/relabel/relabel.go Validate, legacy label names).</summary>
    public static RelabelRules Compile(IReadOnlyList<RelabelConfig> configs, ICollection<string> problems)
    {
        var rules = new List<RelabelRule>();
        for (var i = 0; i < configs.Count; i++)
        {
            var config = configs[i];
            var where = config.Line > 0 ? $"rule {i + 1} (line {config.Line})" : $"rule {i + 1}";
            var before = problems.Count;
            var rule = RelabelRuleValidation.Compile(config, message => problems.Add($"{where}: {message}"));
            if (rule is not null && problems.Count == before)
            {
                rules.Add(rule);
            }
        }

        return rules.Count == 0 ? None : new RelabelRules(rules);
    }

    /// <summary>Runs every rule on <paramref name="labels"/> in order (Prometheus' <c>ProcessBuilder</c>); false when a rule drops the series.</summary>
    public bool Apply(RelabelLabels labels)
    {
        foreach (var rule in _rules)
        {
            if (!rule.Apply(labels))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Prometheus' legacy label name, <c>[a-zA-Z_][a-zA-Z0-9_]*</c>: the names a rule may create.
    /// (Prometheus 3 also allows any UTF-8 name when configured to; Azure's support for that is not known.)
    /// </summary>
    public static bool IsValidLabelName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>A rule file that cannot be used; <see cref="Problems"/> has one line per problem.</summary>
public sealed class RelabelConfigException(IReadOnlyList<string> problems) : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
