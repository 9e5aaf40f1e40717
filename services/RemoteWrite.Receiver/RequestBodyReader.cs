using Microsoft.AspNetCore.Http;
using RemoteWrite.Core.Buffers;

namespace RemoteWrite.Receiver;

/// <summary>Reads a request body into a pooled buffer, never past a cap.</summary>
public static class RequestBodyReader
{
    /// <summary>Returns the body, or null when it is longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<PooledBuffer?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        var initial = request.ContentLength is long length and >= 0 ? (int)Math.Min(length, maxBytes) : 64 * 1024;
        var writer = new PooledBufferWriter(Math.Max(initial, 256), maxBytes + 1);
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(Math.Min(64 * 1024, maxBytes + 1 - writer.Length));
                var read = await request.Body.ReadAsync(memory, cancellationToken);
                if (read == 0)
                {
                    return writer.Detach();
                }

                writer.Advance(read);
                if (writer.Length > maxBytes)
                {
                    return null;
                }
            }
        }
        catch (Core.Errors.RemoteWriteException)
        {
            return null;
        }
        finally
        {
            writer.Dispose();
        }
    }
}
