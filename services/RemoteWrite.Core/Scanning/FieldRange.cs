namespace RemoteWrite.Core.Scanning;

/// <summary>A whole top-level field (tag, length prefix, message) of a WriteRequest, such as one metadata entry.</summary>
public readonly record struct FieldRange(int Start, int Length)
{
    public ReadOnlySpan<byte> Field(ReadOnlySpan<byte> request) => request.Slice(Start, Length);
}
