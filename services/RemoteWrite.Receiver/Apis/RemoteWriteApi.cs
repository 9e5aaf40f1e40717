using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Errors;
using RemoteWrite.Core.Pipeline;
using RemoteWrite.Receiver.Security;

namespace RemoteWrite.Receiver.Apis;

/// <summary>
/// <c>POST /api/v1/write</c>: receive → validate → hand to the sink, and answer as a
/// remote-write receiver must (CONTRACT.md §1): 204 once the sink has the data, 503 to try
/// again (with Retry-After), 400/413/415 for bad input, never 429 unless configured.
/// </summary>
public static class RemoteWriteApi
{
    public const string Path = "/api/v1/write";

    public static IEndpointConventionBuilder MapRemoteWriteApi(this IEndpointRouteBuilder app) =>
        app.MapPost(Path, HandleAsync).DisableAntiforgery().RequireWriteAuthentication();

    private static async Task HandleAsync(
        HttpContext context,
        WriteRequestPreparer preparer,
        IWriteSink sink,
        ReceiverMetrics metrics,
        IOptions<ReceiverOptions> options,
        ILoggerFactory loggers)
    {
        var started = Stopwatch.GetTimestamp();
        var status = await AnswerAsync(context, preparer, sink, metrics, options.Value, loggers);
        metrics.Answered(status, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private static async Task<int> AnswerAsync(HttpContext context, WriteRequestPreparer preparer, IWriteSink sink, ReceiverMetrics metrics, ReceiverOptions options, ILoggerFactory loggers)
    {
        var request = context.Request;
        var limit = preparer.Limits.MaxRequestBytes;
        if (request.ContentLength > limit)
        {
            return await PlainAsync(context, 413, $"body of {request.ContentLength} bytes exceeds the limit of {limit} bytes");
        }

        var body = await RequestBodyReader.ReadAsync(request, limit, context.RequestAborted);
        if (body is null)
        {
            return await PlainAsync(context, 413, $"body exceeds the limit of {limit} bytes");
        }

        PreparedWrite prepared;
        try
        {
            using (body)
            {
                prepared = preparer.Prepare(body.Span, request.ContentType, request.Headers.ContentEncoding);
            }
        }
        catch (RemoteWriteException e)
        {
            return await PlainAsync(context, e.StatusCode, e.Message);
        }

        using (prepared)
        {
            metrics.Received(prepared.Received);
            foreach (var (reason, counts) in prepared.Dropped)
            {
                metrics.Dropped(reason, counts);
            }

            var result = prepared.Parts.Count == 0
                ? SinkResult.Delivered
                : await sink.DeliverAsync(prepared, context.RequestAborted);

            switch (result.Status)
            {
                case SinkStatus.Delivered:
                    if (prepared.Version == RemoteWriteVersion.V2)
                    {
                        var accepted = prepared.Accepted;
                        context.Response.Headers[RemoteWriteHeaders.SamplesWritten] = accepted.Samples.ToString(CultureInfo.InvariantCulture);
                        context.Response.Headers[RemoteWriteHeaders.HistogramsWritten] = accepted.Histograms.ToString(CultureInfo.InvariantCulture);
                        context.Response.Headers[RemoteWriteHeaders.ExemplarsWritten] = accepted.Exemplars.ToString(CultureInfo.InvariantCulture);
                    }

                    context.Response.StatusCode = StatusCodes.Status204NoContent;
                    return 204;

                case SinkStatus.Rejected:
                    return await PlainAsync(context, 400, result.Message ?? "rejected by the destination");

                default:
                    var retryAfter = result.RetryAfter ?? (options.DefaultRetryAfterSeconds > 0 ? TimeSpan.FromSeconds(options.DefaultRetryAfterSeconds) : null);
                    if (retryAfter is { } after)
                    {
                        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                    }

                    loggers.CreateLogger(typeof(RemoteWriteApi).FullName!).LogDebug("Asked the sender to retry: {Reason}", result.Message);
                    return await PlainAsync(context, options.RetryStatusCode, result.Message ?? "destination unavailable, try again");
            }
        }
    }

    private static async Task<int> PlainAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(message + "\n", context.RequestAborted);
        return status;
    }
}
