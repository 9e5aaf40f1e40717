using RemoteWrite.Deploy.Tests.Infrastructure;

namespace RemoteWrite.Deploy.Tests;

/// <summary>deploy/vm: the systemd unit is hardened and valid, and Prometheus' block points at the relay.</summary>
public sealed class VmTests
{
    private static readonly string Unit = Path.Combine(RepoPaths.Root, "deploy", "vm", "remotewrite-relay.service");

    [Fact]
    public void Unit_runs_hardened_with_an_environment_file()
    {
        var lines = File.ReadAllLines(Unit);
        foreach (var directive in new[] { "DynamicUser=yes", "ProtectSystem=strict", "NoNewPrivileges=yes", "ProtectHome=yes", "PrivateTmp=yes", "CapabilityBoundingSet=", "EnvironmentFile=/etc/remotewrite-relay.env", "Restart=always" })
        {
            Assert.Contains(directive, lines);
        }
    }

    [RequiresToolsFact(Tool.SystemdAnalyze)]
    public async Task Unit_passes_systemd_analyze_verify()
    {
        var result = await Command.RunAsync(Tool.SystemdAnalyze, ["verify", "--man=no", Unit]);
        // The binary is installed by the README's steps, not on this machine: that one complaint is expected.
        var problems = result.Output.Split('\n').Where(l => l.Length > 0 && !l.Contains("is not executable", StringComparison.Ordinal)).ToList();
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void Prometheus_writes_to_the_relay_on_loopback_and_the_relay_listens_there()
    {
        var block = Yaml.File("deploy", "vm", "prometheus-remote-write.yml");
        Assert.Equal("http://127.0.0.1:8081/api/v1/write", Yaml.Str(block, "remote_write", "0", "url"));
        Assert.Contains("ASPNETCORE_URLS=http://127.0.0.1:8081", File.ReadAllLines(Path.Combine(RepoPaths.Root, "deploy", "vm", "remotewrite-relay.env")));
    }
}
