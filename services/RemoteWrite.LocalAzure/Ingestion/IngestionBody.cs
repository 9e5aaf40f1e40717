using System.Buffers;

namespace RemoteWrite.LocalAzure.Ingestion;

/// <summary>
/// Reads a request body into a pooled array, stopping one byte past the limit so an oversize
/// chunked body is caught without buffering it all.
/// </summary>
internal sealed class IngestionBody : IDisposable
{
    private byte[]? _array;

    private IngestionBody(byte[] array, int length, bool tooLarge)
    {
        _array = array;
        Length = length;
        TooLarge = tooLarge;
    }

    public int Length { get; }

    public bool TooLarge { get; }

    public ReadOnlySpan<byte> Span => _array.AsSpan(0, Length);

    public ReadOnlyMemory<byte> Memory => _array.AsMemory(0, Length);

    public static async Task<IngestionBody> ReadAsync(Stream body, long? contentLength, int max, CancellationToken cancel)
    {
        var array = ArrayPool<byte>.Shared.Rent((int)Math.Min(contentLength ?? 64 * 1024, (long)max + 1));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == array.Length)
                {
                    if (array.Length > max)
                    {
                        return new IngestionBody(array, length, tooLarge: true);
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)array.Length * 2, (long)max + 1));
                    array.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(array);
                    array = bigger;
                }

                var read = await body.ReadAsync(array.AsMemory(length, (int)Math.Min(array.Length - length, (long)max + 1 - length)), cancel);
                if (read == 0)
                {
                    return new IngestionBody(array, length, tooLarge: length > max);
                }

                length += read;
                if (length > max)
                {
                    return new IngestionBody(array, length, tooLarge: true);
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(array);
            throw;
        }
    }

    public void Dispose()
    {
        var array = Interlocked.Exchange(ref _array, null);
        if (array is not null)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
