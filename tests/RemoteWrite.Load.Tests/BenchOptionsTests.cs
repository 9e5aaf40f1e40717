using RemoteWrite.SideBySide;

namespace RemoteWrite.Load.Tests;

public sealed class BenchOptionsTests
{
    [Fact]
    public void Short_mode_is_one_round_of_one_second_and_full_mode_three()
    {
        var shortMode = BenchOptions.Parse(["--short", "--out", "/tmp/x"]);
        Assert.True(shortMode.Short);
        Assert.Equal("/tmp/x", shortMode.OutDirectory);
        Assert.Equal(1, shortMode.Rounds);
        Assert.Equal(TimeSpan.FromSeconds(1), shortMode.RoundDuration);

        var full = BenchOptions.Parse([]);
        Assert.False(full.Short);
        Assert.Equal(3, full.Rounds);
        Assert.Empty(full.RelayEnvironment);
        Assert.Equal(2, Workload.For(isShort: true).Count);
        Assert.Contains(Workload.For(isShort: false), w => w.Churn);
    }

    [Fact]
    public void Relay_settings_are_name_value_pairs()
    {
        var options = BenchOptions.Parse(["--relay-env", "DOTNET_gcServer=1", "--relay-env", "DOTNET_GCgen0size=0x4000000"]);
        Assert.Equal("1", options.RelayEnvironment["DOTNET_gcServer"]);
        Assert.Equal("0x4000000", options.RelayEnvironment["DOTNET_GCgen0size"]);
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--relay-env", "DOTNET_gcServer"]));
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--rounds", "0"]));
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--bogus", "1"]));
    }

    [Fact]
    public void Loads_can_be_picked_by_their_chart_label()
    {
        Assert.Equal(["2k 2.0"], BenchOptions.Parse(["--load", "2k 2.0"]).Workloads.Select(w => w.ChartLabel));
        Assert.Equal(Workload.For(isShort: false), BenchOptions.Parse([]).Workloads);
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--short", "--load", "40k"]));
    }
}
