using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Snappier;

namespace RemoteWrite.SideBySide;

/// <summary>
/// The counting sink both relays write to, in this process on loopback: <c>POST /write/{contender}</c>
/// takes a snappy remote-write 1.0 body with Azure's size rule (413 past 1 MiB) and a bearer token
/// (401 without), counts its samples per contender and answers 200 empty, as Azure does. Not the local
/// Azure stand-in: that one parses every body in full and keeps every series (4–5 µs per sample here,
/// several times either relay's cost), so a saturation round would measure the stand-in, not the relays.
/// </summary>
internal sealed class CountingSink : IAsyncDisposable
{
    /// <summary>Azure's limit on a compressed body (CONTRACT §2): 413 past it.</summary>
    public const int MaxBodyBytes = 1_048_576;
    private const int MaxDecodedBytes = 64 << 20;

    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private readonly WebApplication _app;

    private CountingSink(WebApplication app, int port)
    {
        _app = app;
        Address = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Address { get; }

    public Uri WriteUrl(string contender) => new(Address, "/write/" + contender);

    public static async Task<CountingSink> StartAsync()
    {
        var port = RemoteWrite.Testing.FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var sink = new CountingSink(app, port);
        app.MapPost("/write/{contender}", sink.WriteAsync);
        await app.StartAsync();
        return sink;
    }

    /// <summary>Samples counted for <paramref name="contender"/> and requests refused, since its last <see cref="Reset"/>.</summary>
    public (long Samples, long Refused) Counts(string contender) =>
        _counters.TryGetValue(contender, out var c) ? (Interlocked.Read(ref c.Samples), Interlocked.Read(ref c.Refused)) : (0, 0);

    public void Reset(string contender) => _counters[contender] = new Counter();

    private async Task<IResult> WriteAsync(string contender, HttpContext context)
    {
        var counter = _counters.GetOrAdd(contender, _ => new Counter());
        var length = context.Request.ContentLength;
        if (!context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return Refuse(counter, StatusCodes.Status401Unauthorized);
        }

        if (length is null or > MaxBodyBytes)
        {
            return Refuse(counter, length is null ? StatusCodes.Status411LengthRequired : StatusCodes.Status413PayloadTooLarge);
        }

        var body = ArrayPool<byte>.Shared.Rent((int)length.Value);
        byte[]? decoded = null;
        try
        {
            await context.Request.Body.ReadExactlyAsync(body.AsMemory(0, (int)length.Value), context.RequestAborted);
            var compressed = body.AsSpan(0, (int)length.Value);
            var size = Snappy.GetUncompressedLength(compressed);
            if (size > MaxDecodedBytes)
            {
                return Refuse(counter, StatusCodes.Status413PayloadTooLarge);
            }

            decoded = ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));
            var written = Snappy.Decompress(compressed, decoded);
            var samples = SampleCounter.Count(decoded.AsSpan(0, written));
            if (samples < 0)
            {
                return Refuse(counter, StatusCodes.Status400BadRequest);
            }

            Interlocked.Add(ref counter.Samples, samples);
            return Results.Ok();
        }
        catch (InvalidDataException)
        {
            return Refuse(counter, StatusCodes.Status400BadRequest);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body);
            if (decoded is not null)
            {
                ArrayPool<byte>.Shared.Return(decoded);
            }
        }
    }

    private static IResult Refuse(Counter counter, int status)
    {
        Interlocked.Increment(ref counter.Refused);
        return Results.StatusCode(status);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class Counter
    {
        public long Samples;
        public long Refused;
    }
}
