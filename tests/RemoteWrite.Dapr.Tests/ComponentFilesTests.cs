using RemoteWrite.Dapr.Tests.Infrastructure;
using RemoteWrite.DaprSidecar;
using RemoteWrite.Forwarder;

namespace RemoteWrite.Dapr.Tests;

/// <summary>
/// components/ and dapr.yaml as a real daprd would read them, checked without daprd: file paths
/// resolve from each app's directory (the CLI starts daprd there: dapr/cli cmd/run.go
/// <c>daprCMD.Command.Dir</c>), and each pub/sub value parses with the rule components-contrib uses
/// (<see cref="RedisPubSubSettings"/>) and agrees with what the forwarder asks for.
/// </summary>
public sealed class ComponentFilesTests
{
    // Metadata whose value is a file path, by component type (components-contrib secretstores/local/file: secretsFile).
    private static readonly Dictionary<string, string[]> PathKeys = new() { ["secretstores.local.file"] = ["secretsFile"] };

    [Fact]
    public void Every_file_path_in_a_component_exists_from_each_app_directory_of_the_run_file()
    {
        var run = MiniYaml.ParseFile(Path.Combine(RepoPaths.Root, "dapr.yaml"));
        var appDirs = ((List<object?>)MiniYaml.At(run, "apps")!).Select(a => Path.GetFullPath(Path.Combine(RepoPaths.Root, (string)MiniYaml.At(a, "appDirPath")!))).ToList();
        var checkedPaths = 0;
        foreach (var file in Directory.GetFiles(RepoPaths.Components, "*.yaml"))
        {
            var doc = MiniYaml.ParseFile(file);
            if (MiniYaml.At(doc, "spec", "type") is not string type || !PathKeys.TryGetValue(type, out var keys))
            {
                continue;
            }

            foreach (var item in (List<object?>)MiniYaml.At(doc, "spec", "metadata")!)
            {
                if (keys.Contains(MiniYaml.At(item, "name") as string) && MiniYaml.At(item, "value") is string relative)
                {
                    foreach (var dir in appDirs)
                    {
                        Assert.True(File.Exists(Path.Combine(dir, relative)), $"{Path.GetFileName(file)}: {relative} does not exist from {dir}");
                        checkedPaths++;
                    }
                }
            }
        }

        Assert.True(checkedPaths >= 4, "the secret store's file is checked from every app directory");
    }

    [Fact]
    public void Pubsub_values_parse_as_the_redis_component_parses_them_and_none_is_ignored()
    {
        var settings = DaprYaml.PubSubSettings();

        Assert.Empty(settings.Ignored);
        Assert.Equal(TimeSpan.FromMinutes(5), settings.ProcessingTimeout);
        Assert.Equal(TimeSpan.FromSeconds(15), settings.RedeliverInterval);
        Assert.True(settings.MaxLenApprox > 0 ^ settings.StreamTtl > TimeSpan.Zero, "exactly one stream bound");
    }

    [Fact]
    public void Bulk_size_agrees_with_the_redis_concurrency_and_read_ahead()
    {
        var settings = DaprYaml.PubSubSettings();
        var forwarder = new ForwarderOptions();

        // daprd's default bulk subscriber never gathers more than `concurrency` messages from Redis.
        Assert.Equal(forwarder.BulkMaxMessages, settings.Concurrency);
        Assert.True(settings.QueueDepth >= settings.Concurrency);
    }

    [Fact]
    public void The_forwarder_answers_well_inside_the_sidecar_delivery_timeout()
    {
        Assert.True(new ForwarderOptions().DeliveryDeadline <= DaprYaml.DeliveryTimeout() * 0.75);
    }

    [Fact]
    public void The_sidecar_token_retries_end_before_the_forwarder_stops_waiting()
    {
        // One retry owner: daprd's tokenRetry × timeouts.token must fit in the forwarder's own bound.
        var doc = MiniYaml.ParseFile(DaprYaml.Resiliency);
        var target = MiniYaml.At(doc, "spec", "targets", "apps", DaprNames.TokenServiceAppId)!;
        var timeout = ResiliencyFile.ParseDuration((string)MiniYaml.At(doc, "spec", "policies", "timeouts", (string)MiniYaml.At(target, "timeout")!)!);
        var retries = long.Parse((string)MiniYaml.At(doc, "spec", "policies", "retries", (string)MiniYaml.At(target, "retry")!, "maxRetries")!, System.Globalization.CultureInfo.InvariantCulture);
        var backoff = TimeSpan.Zero;
        for (var i = 0; i < retries; i++)
        {
            backoff += RetryPolicy.Default.InitialInterval * Math.Pow(RetryPolicy.Default.Multiplier, i);
        }

        Assert.True(((retries + 1) * timeout) + backoff < new ForwarderOptions().TokenTimeout, $"{retries + 1} × {timeout} + {backoff} ≥ the forwarder's token timeout");
    }

    [Fact]
    public void A_duration_string_for_redeliver_interval_is_what_the_component_ignores()
    {
        var parsed = RedisPubSubSettings.Parse(new Dictionary<string, string> { ["redeliverInterval"] = "15s", ["processingTimeout"] = "60s" });

        Assert.Single(parsed.Ignored);
        Assert.Equal(TimeSpan.FromSeconds(60), parsed.ProcessingTimeout); // the decoder reads Go durations for this one
        Assert.Throws<FormatException>(() => RedisPubSubSettings.Parse(new Dictionary<string, string> { ["concurrency"] = "-1" }));
    }
}
