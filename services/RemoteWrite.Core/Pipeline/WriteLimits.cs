using RemoteWrite.Core.Batching;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Filters;

namespace RemoteWrite.Core.Pipeline;

/// <summary>The limits a receiver applies to every request; bound from configuration section <c>RemoteWrite</c>.</summary>
public sealed class WriteLimits : Configuration.IValidatedOptions
{
    public const string SectionName = "RemoteWrite";

    /// <summary>Largest compressed body accepted (413 beyond).</summary>
    public int MaxRequestBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Largest decoded body accepted, checked from the snappy header before allocating (413 beyond).</summary>
    public int MaxDecodedBytes { get; set; } = SnappyCodec.DefaultMaxDecodedBytes;

    /// <summary>Largest compressed body sent on: Azure's 1,048,576 bytes by default.</summary>
    public int MaxPartBytes { get; set; } = RequestSplitter.AzureMaxBytes;

    /// <summary>Data older than this is dropped and counted (Azure drops it silently past 20 minutes).</summary>
    public TimeSpan MaxSampleAge { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>Data further ahead than this is dropped and counted (Azure accepts ±20 minutes).</summary>
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>
    /// Most series in one request (413 beyond): Prometheus sends 2,000 samples per request and vmagent
    /// 10,000 rows, so this only stops a body built to make the index large.
    /// </summary>
    public int MaxSeriesPerRequest { get; set; } = 500_000;

    public int MaxLabels { get; set; } = LabelLimitFilter.AzureMaxLabels;

    public int MaxLabelNameChars { get; set; } = LabelLimitFilter.AzureMaxNameChars;

    public int MaxLabelValueChars { get; set; } = LabelLimitFilter.AzureMaxValueChars;

    /// <summary>
    /// <c>drop</c> (default): a series over a label limit is dropped and counted (reason <c>label_limit</c>);
    /// <c>truncate</c>: values over <see cref="MaxLabelValueChars"/> are cut to it and the series is kept
    /// (counted in <c>remotewrite_receiver_truncated_total</c>); over the label-count or name limit still drops.
    /// </summary>
    public OverLimitLabels OverLimitLabels { get; set; } = OverLimitLabels.Drop;

    /// <summary>
    /// Count series of one request that differ only by letter case (Azure's store merges them) in
    /// <c>remotewrite_case_collisions_total</c>, with a warning at most once a minute.
    /// </summary>
    public bool CaseCollisions { get; set; } = true;

    public LabelLimits LabelLimits => new(MaxLabels, MaxLabelNameChars, MaxLabelValueChars);

    /// <summary>Every problem with these values, one line each; empty when valid.</summary>
    public IEnumerable<string> Validate()
    {
        if (MaxRequestBytes < 1024)
        {
            yield return $"RemoteWrite:MaxRequestBytes must be at least 1024 (is {MaxRequestBytes}).";
        }

        if (MaxDecodedBytes < 1024)
        {
            yield return $"RemoteWrite:MaxDecodedBytes must be at least 1024 (is {MaxDecodedBytes}).";
        }

        if (MaxPartBytes < 1024)
        {
            yield return $"RemoteWrite:MaxPartBytes must be at least 1024 (is {MaxPartBytes}).";
        }

        if (MaxSampleAge <= TimeSpan.Zero)
        {
            yield return "RemoteWrite:MaxSampleAge must be positive.";
        }

        if (MaxFutureSkew < TimeSpan.Zero)
        {
            yield return "RemoteWrite:MaxFutureSkew must not be negative.";
        }

        if (MaxSeriesPerRequest < 1)
        {
            yield return $"RemoteWrite:MaxSeriesPerRequest must be positive (is {MaxSeriesPerRequest}).";
        }

        if (MaxLabels < 1 || MaxLabelNameChars < 1 || MaxLabelValueChars < 1)
        {
            yield return "RemoteWrite:MaxLabels, MaxLabelNameChars and MaxLabelValueChars must be positive.";
        }
    }
}
