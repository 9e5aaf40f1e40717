using RemoteWrite.Core.Codec;

namespace RemoteWrite.Forwarder.Delivering;

/// <summary>
/// Packs blocks into Azure requests of at most <c>maxBytes</c> compressed bytes, the size Azure
/// counts (CONTRACT.md §2): first fit, in arrival order, by the exact length the joined block will
/// have (<see cref="SnappyConcatenation"/>: one header, every block's elements). With Prometheus'
/// ~100–200 KB messages a backlog fills requests to within one message of the limit.
/// </summary>
public static class BlockPacker
{
    public static List<List<SendableBlock>> Pack(IReadOnlyList<SendableBlock> blocks, int maxBytes)
    {
        var groups = new List<List<SendableBlock>>();
        var decoded = new List<long>();
        var elements = new List<long>();
        foreach (var block in blocks)
        {
            var blockElements = block.Body.Length - SnappyConcatenation.HeaderLength(block.Body.Span);
            var placed = false;
            for (var g = 0; g < groups.Count && !placed; g++)
            {
                if (SnappyConcatenation.JoinedLength(decoded[g] + block.DecodedLength, elements[g] + blockElements) <= maxBytes
                    && decoded[g] + block.DecodedLength <= SnappyConcatenation.MaxDecodedLength)
                {
                    groups[g].Add(block);
                    decoded[g] += block.DecodedLength;
                    elements[g] += blockElements;
                    placed = true;
                }
            }

            if (!placed)
            {
                groups.Add([block]);
                decoded.Add(block.DecodedLength);
                elements.Add(blockElements);
            }
        }

        return groups;
    }
}
