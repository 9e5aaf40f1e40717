using Google.Protobuf;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Errors;
using RemoteWrite.Core.Protocol.V1;
using RemoteWrite.Core.Scanning;

namespace RemoteWrite.Core.Tests;

public sealed class WriteRequestScannerTests
{
    [Fact]
    public void Counts_golden_bodies_from_prometheus_as_the_reference_parser_does()
    {
        var files = TestBodies.GoldenFiles().ToList();
        Assert.NotEmpty(files);
        using var scanner = new WriteRequestScanner();
        foreach (var file in files)
        {
            using var decoded = SnappyCodec.Decode(File.ReadAllBytes(file));
            var reference = WriteRequest.Parser.ParseFrom(decoded.Span);
            var summary = scanner.Scan(decoded.Span);

            Assert.Equal(reference.Timeseries.Count, summary.Series);
            Assert.Equal(reference.Timeseries.Sum(s => s.Samples.Count), summary.Samples);
            Assert.Equal(reference.Timeseries.Sum(s => s.Histograms.Count), summary.Histograms);
            Assert.Equal(reference.Timeseries.Sum(s => s.Exemplars.Count), summary.Exemplars);
            Assert.Equal(reference.Metadata.Count, summary.Metadata);
            if (summary.Samples > 0)
            {
                Assert.Equal(reference.Timeseries.SelectMany(s => s.Samples).Min(s => s.Timestamp), summary.MinTimestamp);
                Assert.Equal(reference.Timeseries.SelectMany(s => s.Samples).Max(s => s.Timestamp), summary.MaxTimestamp);
            }

            // Each recorded range is exactly one series' bytes.
            for (var i = 0; i < summary.Series; i++)
            {
                var alone = WriteRequest.Parser.ParseFrom(scanner.Series[i].Field(decoded.Span));
                Assert.Equal(reference.Timeseries[i], Assert.Single(alone.Timeseries));
            }
        }
    }

    [Fact]
    public void Labels_and_samples_encoded_unusually_scan_as_the_usual_encoding()
    {
        // The scanner reads the usual layout without a reader; other valid layouts take the general path.
        var longValue = new string('v', 200); // a 2-byte length prefix
        var usual = new WriteRequest
        {
            Timeseries =
            {
                TestBodies.Series("up", 0, 0, ("job", longValue), ("zone", "")),
            },
        };
        usual.Timeseries[0].Samples.Add(new Sample { Value = 0, Timestamp = 1_000 });
        usual.Timeseries[0].Samples.Add(new Sample { Value = 2.5, Timestamp = 3_000 });

        // The same series by hand: a label value before its name, an empty value omitted, a sample
        // timestamp before its value, and a zero value omitted.
        var series = new List<byte>();
        series.AddRange(Label(Field(2, "up"u8), Field(1, "__name__"u8)));
        series.AddRange(Label(Field(1, "job"u8), Field(2, System.Text.Encoding.ASCII.GetBytes(longValue))));
        series.AddRange(Label(Field(1, "zone"u8)));
        series.AddRange(Bytes(2, [0x10, .. Varint(1_000)]));
        series.AddRange(Bytes(2, [0x10, .. Varint(3_000), 0x09, .. BitConverter.GetBytes(2.5)]));
        var unusual = Bytes(1, [.. series]);

        using var scanner = new WriteRequestScanner();
        var expected = scanner.Scan(usual.ToByteArray());
        var expectedSeries = scanner.Series[0];
        var actual = scanner.Scan(unusual);
        var actualSeries = scanner.Series[0];

        Assert.Equal(usual, WriteRequest.Parser.ParseFrom(unusual));
        Assert.Equal(expected, actual);
        Assert.Equal((1_000L, 3_000L, 2), (actual.MinTimestamp, actual.MaxTimestamp, actual.Samples));
        Assert.Equal((3, 8, 200), (actualSeries.LabelCount, actualSeries.MaxLabelNameBytes, actualSeries.MaxLabelValueBytes));
        Assert.Equal((expectedSeries.LabelCount, expectedSeries.MaxLabelNameBytes, expectedSeries.MaxLabelValueBytes), (actualSeries.LabelCount, actualSeries.MaxLabelNameBytes, actualSeries.MaxLabelValueBytes));

        static byte[] Label(params byte[][] fields) => Bytes(1, [.. fields.SelectMany(f => f)]);
        static byte[] Field(int field, ReadOnlySpan<byte> value) => Bytes(field, value.ToArray());
        static byte[] Bytes(int field, byte[] value) => [(byte)((field << 3) | 2), .. Varint((ulong)value.Length), .. value];
        static byte[] Varint(ulong value)
        {
            var bytes = new byte[10];
            return bytes[..ProtoWriter.WriteVarint(bytes, value)];
        }
    }

    [Fact]
    public void A_pooled_scanner_forgets_the_previous_request()
    {
        var big = TestBodies.KubernetesScrape(300, 5_000).ToByteArray();
        var small = TestBodies.Request(TestBodies.Series("up", 2, 9_000)).ToByteArray();
        var scanner = ScannerPool.Rent();
        Assert.Equal(300, scanner.Scan(big).Series);
        ScannerPool.Return(scanner);

        scanner = ScannerPool.Rent();
        try
        {
            Assert.True(scanner.Summary.IsEmpty);
            Assert.Equal(0, scanner.Series.Length);
            var summary = scanner.Scan(small);
            Assert.Equal((1, 2, 9_000L), (summary.Series, summary.Samples, summary.MinTimestamp));
            Assert.Equal(1, scanner.Series.Length);
        }
        finally
        {
            ScannerPool.Return(scanner);
        }
    }

    [Fact]
    public void Golden_bodies_hold_samples_and_metadata()
    {
        using var scanner = new WriteRequestScanner();
        var samples = 0;
        var metadata = 0;
        foreach (var file in TestBodies.GoldenFiles())
        {
            using var decoded = SnappyCodec.Decode(File.ReadAllBytes(file));
            var summary = scanner.Scan(decoded.Span);
            samples += summary.Samples;
            metadata += summary.Metadata;
        }

        Assert.True(samples > 100, $"{samples} samples");
        Assert.True(metadata > 0, "the capture includes a metadata request");
    }

    [Fact]
    public void Series_without_name_is_400()
    {
        var series = new TimeSeries();
        series.Labels.Add(new Label { Name = "job", Value = "x" });
        series.Samples.Add(new Sample { Value = 1, Timestamp = 1 });
        var bytes = TestBodies.Request(series).ToByteArray();
        using var scanner = new WriteRequestScanner();
        var error = Assert.Throws<RemoteWriteException>(() => scanner.Scan(bytes));
        Assert.Contains("__name__", error.Message);
    }

    [Fact]
    public void Duplicate_label_names_are_400_sorted_or_not()
    {
        using var scanner = new WriteRequestScanner();
        foreach (var order in new[] { new[] { "__name__", "a", "a" }, new[] { "b", "__name__", "b" } })
        {
            var series = new TimeSeries();
            foreach (var name in order)
            {
                series.Labels.Add(new Label { Name = name, Value = "v" });
            }

            Assert.Throws<RemoteWriteException>(() => scanner.Scan(TestBodies.Request(series).ToByteArray()));
        }
    }

    [Fact]
    public void Wrong_wire_type_is_400()
    {
        // Field 1 (timeseries) sent as a varint.
        using var scanner = new WriteRequestScanner();
        Assert.Throws<RemoteWriteException>(() => scanner.Scan([0x08, 0x01]));
    }

    [Fact]
    public void Truncated_at_every_offset_gives_an_error_or_a_valid_prefix_never_a_crash()
    {
        var body = TestBodies.Request(
            TestBodies.Series("up", 3, 1_700_000_000_000, ("job", "a")),
            TestBodies.Series("down", 2, 1_700_000_000_000, ("job", "b"))).ToByteArray();
        using var scanner = new WriteRequestScanner();
        var errors = 0;
        for (var cut = 0; cut < body.Length; cut++)
        {
            try
            {
                scanner.Scan(body.AsSpan(0, cut));
            }
            catch (RemoteWriteException)
            {
                errors++;
            }
        }

        // Only cuts at the two top-level field boundaries (0 and the first series' end) are valid messages.
        Assert.Equal(body.Length - 2, errors);
    }

    [Fact]
    public void Random_bytes_never_escape_as_another_exception()
    {
        var random = new Random(7);
        using var scanner = new WriteRequestScanner();
        var valid = TestBodies.Request(TestBodies.Series("up", 2, 1, ("job", "a"))).ToByteArray();
        for (var i = 0; i < 5000; i++)
        {
            var body = (byte[])valid.Clone();
            body[random.Next(body.Length)] = (byte)random.Next(256);
            try
            {
                scanner.Scan(body);
            }
            catch (RemoteWriteException)
            {
            }
        }
    }

    [Fact]
    public void Scanning_allocates_nothing_per_sample()
    {
        var bytes = TestBodies.KubernetesScrape(2000, 1_700_000_000_000).ToByteArray();
        using var scanner = new WriteRequestScanner();
        scanner.Scan(bytes); // grows the pooled index once
        var before = GC.GetAllocatedBytesForCurrentThread();
        scanner.Scan(bytes);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

public sealed class WriteRequestScannerUtf8Tests
{
    [Fact]
    public void Non_ascii_utf8_is_accepted_and_invalid_utf8_is_400()
    {
        using var scanner = new WriteRequestScanner();
        var ok = TestBodies.Request(TestBodies.Series("up", 1, 1, ("city", "Zürich"))).ToByteArray();
        Assert.Equal(1, scanner.Scan(ok).Samples);

        var bad = (byte[])ok.Clone();
        var at = bad.AsSpan().IndexOf("ü"u8);
        bad[at] = 0xFF;
        var error = Assert.Throws<RemoteWriteException>(() => scanner.Scan(bad));
        Assert.Contains("UTF-8", error.Message);
    }
}
