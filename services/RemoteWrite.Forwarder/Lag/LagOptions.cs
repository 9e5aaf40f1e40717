using RemoteWrite.Core.Configuration;
using RemoteWrite.Dapr;

namespace RemoteWrite.Forwarder.Lag;

/// <summary>What the forwarder reports about its lag; section <c>Forwarder:Lag</c>.</summary>
public sealed class LagOptions : IValidatedOptions
{
    public const string SectionName = "Forwarder:Lag";

    /// <summary>
    /// host:port of the Redis behind the pub/sub (components/pubsub.yaml <c>redisHost</c>). Off (null)
    /// by default: the forwarder otherwise talks only to its sidecar. When set, the broker backlog of the
    /// consumer group is polled and exported.
    /// </summary>
    public string? RedisAddress { get; set; }

    public string? RedisPassword { get; set; }

    /// <summary>The stream: the topic (components-contrib's Redis pub/sub names the stream after it).</summary>
    public string Topic { get; set; } = DaprNames.Topic;

    /// <summary>The retry topic's stream (messages daprd gave up on, dead-lettered), added to the backlog; empty to leave it out.</summary>
    public string RetryTopic { get; set; } = DaprNames.RetryTopic;

    /// <summary>The consumer group: daprd's <c>consumerID</c>, by default the app id.</summary>
    public string ConsumerGroup { get; set; } = DaprNames.ForwarderAppId;

    /// <summary>How often the backlog is read from Redis (XINFO GROUPS, XLEN).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<string> Validate()
    {
        if (PollInterval <= TimeSpan.Zero)
        {
            yield return "Forwarder:Lag:PollInterval must be positive.";
        }

        if (!string.IsNullOrEmpty(RedisAddress) && (string.IsNullOrWhiteSpace(Topic) || string.IsNullOrWhiteSpace(ConsumerGroup)))
        {
            yield return "Forwarder:Lag:Topic and Forwarder:Lag:ConsumerGroup must be set with a RedisAddress.";
        }
    }
}
