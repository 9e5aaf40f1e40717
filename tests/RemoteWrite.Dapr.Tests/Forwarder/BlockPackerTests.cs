using CsCheck;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Scanning;
using RemoteWrite.Forwarder.Delivering;
using Snappier;

namespace RemoteWrite.Dapr.Tests.Forwarder;

/// <summary>Packing and joining: every request within the limit, every block in exactly one, each request decoding (with Snappier) to its blocks' bytes in order.</summary>
public sealed class BlockPackerTests
{
    [Fact]
    public void Packed_requests_respect_the_limit_and_join_to_their_blocks_contents()
    {
        Gen.Select(Gen.Byte.Array[1, 40_000].Array[1, 30], Gen.Int[2_000, 120_000]).Sample((contents, limit) =>
        {
            var blocks = contents
                .Select((c, i) => new SendableBlock(i, Snappy.CompressToArray(c), c.Length, ScanSummary.Empty))
                .Where(b => b.Body.Length <= limit)
                .ToList();

            var groups = BlockPacker.Pack(blocks, limit);

            Assert.Equal(blocks.Select(b => b.DeliveryIndex).Order(), groups.SelectMany(g => g).Select(b => b.DeliveryIndex).Order());
            foreach (var group in groups)
            {
                using var joined = SnappyConcatenation.Join(group.Select(b => b.Body).ToArray(), group.Select(b => b.DecodedLength).ToArray());
                Assert.True(joined.Length <= limit, $"{joined.Length} > {limit}");
                Assert.Equal(group.SelectMany(b => contents[b.DeliveryIndex]).ToArray(), Snappy.DecompressToArray(joined.Span));
            }
        }, iter: 100);
    }
}
