using RemoteWrite.Dapr.Tests.Infrastructure;
using RemoteWrite.DaprSidecar;

namespace RemoteWrite.Dapr.Tests.StandIn;

/// <summary>The stand-in takes its delivery retry from a Resiliency file as daprd does (dapr/kit retry/retry.go).</summary>
public sealed class ResiliencyFileTests : IDisposable
{
    private readonly string _file = Path.GetTempFileName();

    [Fact]
    public void The_repository_policy_retries_deliveries_with_growing_capped_waits_for_less_than_the_processing_timeout()
    {
        var retry = DaprYaml.DeliveryRetry();
        Assert.Equal(RetryPolicy.Default.InitialInterval, retry.Delay(0)); // resiliency.yaml sets no initialInterval
        Assert.True(retry.Delay(3) > retry.Delay(0));
        Assert.Equal(retry.MaxInterval, retry.Delay(100));

        // Long enough to ride out a couple of minutes of Azure failures within one delivery; short
        // enough (with every attempt taking the forwarder's whole deadline, once) that Redis does not
        // claim a message daprd still retries (pubsub/redis/redis.go processMessage: the handler's
        // context ends at processingTimeout).
        Assert.True(retry.MaxRetries > 0 && retry.Exhausted((int)retry.MaxRetries));
        var backoff = TimeSpan.Zero;
        for (var i = 0; i < retry.MaxRetries; i++)
        {
            backoff += retry.Delay(i);
        }

        Assert.InRange(backoff, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(4));
        Assert.True(backoff + DaprYaml.DeliveryTimeout() < DaprYaml.ProcessingTimeout(), $"{backoff} of backoff + one delivery timeout must stay under processingTimeout {DaprYaml.ProcessingTimeout()}");
    }

    [Fact]
    public void Exponential_policy_reads_initial_interval_multiplier_cap_and_max_retries()
    {
        var retry = Read("""
            policy: exponential
            initialInterval: 100ms
            multiplier: "2"
            maxInterval: 1s
            maxRetries: 3
            """);
        Assert.Equal([TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(800), TimeSpan.FromSeconds(1)],
            Enumerable.Range(0, 5).Select(retry.Delay));
        Assert.False(retry.Exhausted(2));
        Assert.True(retry.Exhausted(3));
    }

    [Fact]
    public void Constant_policy_reads_its_duration()
    {
        var retry = Read("""
            policy: constant
            duration: 1m30s
            maxRetries: 0
            """);
        Assert.False(retry.Exponential);
        Assert.Equal(TimeSpan.FromSeconds(90), retry.Delay(7));
        Assert.True(retry.Exhausted(0));
    }

    [Fact]
    public void Unset_fields_take_daprs_defaults()
    {
        var retry = Read("policy: exponential");
        Assert.Equal(RetryPolicy.Default with { Exponential = true }, retry);
    }

    private RetryPolicy Read(string policy)
    {
        var indented = string.Join("\n", policy.Split('\n').Select(l => "        " + l));
        File.WriteAllText(_file, $"""
            apiVersion: dapr.io/v1alpha1
            kind: Resiliency
            metadata:
              name: test
            spec:
              policies:
                retries:
                  p:
            {indented}
              targets:
                components:
                  bus:
                    inbound:
                      retry: p
            """);
        return ResiliencyFile.InboundRetry(_file, "bus");
    }

    public void Dispose() => File.Delete(_file);
}
