using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Errors;

namespace RemoteWrite.Core.Tests;

public sealed class RemoteWriteHeadersTests
{
    [Theory]
    [InlineData("application/x-protobuf", "snappy", RemoteWriteVersion.V1)]
    [InlineData("application/x-protobuf;proto=prometheus.WriteRequest", "snappy", RemoteWriteVersion.V1)]
    [InlineData("application/x-protobuf; proto=io.prometheus.write.v2.Request", "snappy", RemoteWriteVersion.V2)]
    [InlineData("application/x-protobuf;proto=io.prometheus.write.v2.Request", null, RemoteWriteVersion.V2)]
    [InlineData(null, null, RemoteWriteVersion.V1)]
    [InlineData("Application/X-Protobuf", "SNAPPY", RemoteWriteVersion.V1)]
    public void Negotiates_the_protocol(string? contentType, string? encoding, RemoteWriteVersion expected) =>
        Assert.Equal(expected, RemoteWriteHeaders.Negotiate(contentType, encoding));

    [Theory]
    [InlineData("application/json", "snappy")]
    [InlineData("application/x-protobuf;proto=io.prometheus.write.v3.Request", "snappy")]
    [InlineData("application/x-protobuf", "gzip")]
    [InlineData("text/plain", null)]
    public void Refuses_what_it_cannot_read_with_415(string contentType, string? encoding)
    {
        var error = Assert.Throws<RemoteWriteException>(() => RemoteWriteHeaders.Negotiate(contentType, encoding));
        Assert.Equal(415, error.StatusCode);
    }
}
