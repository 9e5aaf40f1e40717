using RemoteWrite.Core.Destinations;

namespace RemoteWrite.Core.Tests.Destinations;

public sealed class RendezvousHashTests
{
    private static readonly ulong[] Endpoints = [.. new[] { "https://dce-1/write", "https://dce-2/write", "https://dce-3/write" }.Select(RendezvousHash.Hash)];

    private static readonly ulong[] Keys = [.. Enumerable.Range(0, 3000).Select(i => RendezvousHash.Hash($"series-{i}"))];

    [Fact]
    public void Hashes_are_stable_across_processes()
    {
        // FNV-1a 64 of "a": a fixed value, no per-process seed, so a series keeps its endpoint after a restart.
        Assert.Equal(0xaf63dc4c8601ec8cUL, RendezvousHash.Hash("a"));
        Assert.Equal(RendezvousHash.Choose(Keys[7], Endpoints), RendezvousHash.Choose(Keys[7], Endpoints));
    }

    [Fact]
    public void Keys_spread_evenly_over_the_endpoints()
    {
        var counts = new int[Endpoints.Length];
        foreach (var key in Keys)
        {
            counts[RendezvousHash.Choose(key, Endpoints)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 850, 1150));
    }

    [Fact]
    public void Taking_an_endpoint_out_moves_only_its_own_keys_and_they_come_back_when_it_returns()
    {
        ulong[] withoutSecond = [Endpoints[0], Endpoints[2]];
        foreach (var key in Keys)
        {
            var before = RendezvousHash.Choose(key, Endpoints);
            var after = RendezvousHash.Choose(key, withoutSecond);
            var afterEndpoint = withoutSecond[after];
            if (before != 1)
            {
                Assert.Equal(Endpoints[before], afterEndpoint);
            }
        }
    }

    [Fact]
    public void No_candidates_is_minus_one()
    {
        Assert.Equal(-1, RendezvousHash.Choose(Keys[0], []));
    }
}
