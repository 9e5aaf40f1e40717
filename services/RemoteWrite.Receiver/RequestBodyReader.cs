using Microsoft.AspNetCore.Http;
using RemoteWrite.Core.Buffers;

namespace RemoteWrite.Receiver;

/// <summary>Reads a request body into a pooled buffer, never past a cap.</summary>
public static class RequestBodyReader
{
    /// <summary>Returns the body, or null when it is longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<PooledBuffer?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        var declared = request.ContentLength is long length and >= 0 && length <= maxBytes ? (int)length : -1;
        var writer = new PooledBufferWriter(Math.Max(declared >= 0 ? declared : 64 * 1024, 256), maxBytes + 1);
        try
        {
            while (true)
            {
                // Kestrel ends a body at its Content-Length: once that many bytes are in, the body is
                // complete, so the buffer sized for it is never grown (and copied) for a last empty read.
                if (writer.Length == declared)
                {
                    return writer.Detach();
                }

                var memory = writer.GetMemory(declared > writer.Length ? declared - writer.Length : Math.Min(64 * 1024, maxBytes + 1 - writer.Length));
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
