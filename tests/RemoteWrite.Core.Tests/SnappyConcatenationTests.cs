using CsCheck;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Protocol.V1;
using Snappier;

namespace RemoteWrite.Core.Tests;

/// <summary>
/// Joined snappy blocks decode, with Snappier's own decoder (the reference, not our code), to the
/// blocks' bytes one after another; joined remote-write bodies parse, with Google.Protobuf, as one
/// WriteRequest holding every series.
/// </summary>
public sealed class SnappyConcatenationTests
{
    [Fact]
    public void Joined_blocks_decode_to_the_concatenation_of_their_contents()
    {
        Gen.Byte.Array[0, 70_000].Array[1, 6].Sample(parts =>
        {
            var blocks = parts.Select(p => (ReadOnlyMemory<byte>)Snappy.CompressToArray(p)).ToArray();
            using var joined = SnappyConcatenation.Join(blocks, parts.Select(p => p.Length).ToArray());

            Assert.Equal(parts.SelectMany(p => p).ToArray(), Snappy.DecompressToArray(joined.Span));
            Assert.Equal(SnappyConcatenation.JoinedLength(parts.Sum(p => (long)p.Length), blocks.Sum(b => b.Length - SnappyConcatenation.HeaderLength(b.Span))), joined.Length);
        }, iter: 120);
    }

    [Fact]
    public void Repetitive_blocks_whose_copies_reach_far_back_still_decode_after_joining()
    {
        // Long matches make copies with 2- and 4-byte offsets; each must stay inside its own block.
        var a = Enumerable.Range(0, 200_000).Select(i => (byte)(i % 251)).ToArray();
        var b = Enumerable.Range(0, 150_000).Select(i => (byte)(i % 13)).ToArray();
        var blocks = new ReadOnlyMemory<byte>[] { Snappy.CompressToArray(a), Snappy.CompressToArray(b), Snappy.CompressToArray(a) };

        using var joined = SnappyConcatenation.Join(blocks, [a.Length, b.Length, a.Length]);

        Assert.Equal(a.Concat(b).Concat(a).ToArray(), Snappy.DecompressToArray(joined.Span));
    }

    [Fact]
    public void Joined_remote_write_bodies_are_one_write_request_with_every_series()
    {
        var first = TestBodies.Request(TestBodies.Series("up", 3, 1000, ("job", "a")), TestBodies.Series("up", 2, 1000, ("job", "b")));
        var second = TestBodies.Request(TestBodies.Series("rate", 4, 2000, ("job", "c")));
        var blocks = new ReadOnlyMemory<byte>[] { TestBodies.Compressed(first), TestBodies.Compressed(second) };

        using var joined = SnappyConcatenation.Join(blocks, blocks.Select(b => SnappyCodec.GetDecodedLength(b.Span, int.MaxValue)).ToArray());
        var parsed = WriteRequest.Parser.ParseFrom(Snappy.DecompressToArray(joined.Span));

        Assert.Equal(["a", "b", "c"], parsed.Timeseries.Select(s => s.Labels.Single(l => l.Name == "job").Value));
        Assert.Equal(9, parsed.Timeseries.Sum(s => s.Samples.Count));
    }

    [Fact]
    public void A_block_without_a_readable_header_is_refused()
    {
        Assert.Throws<Errors.RemoteWriteException>(() => SnappyConcatenation.HeaderLength([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]));
        Assert.Throws<Errors.RemoteWriteException>(() => SnappyConcatenation.HeaderLength([]));
    }
}
