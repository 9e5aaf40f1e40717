using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemoteWrite.Core.Azure.Status;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Errors;
using RemoteWrite.Core.Pipeline;
using RemoteWrite.Hosting.Admission;
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

    /// <summary>The route value naming one destination: <c>/api/v1/write/{destination}</c> (several destinations only).</summary>
    public const string DestinationRouteValue = "destination";

    /// <summary>
    /// Maps the endpoint, <c>/api/v1/write</c> and <c>/api/v1/write/{destination}</c>: write
    /// authentication first (Security/), then the admission budget (RemoteWrite.Hosting/Admission).
    /// </summary>
    public static IEndpointConventionBuilder MapRemoteWriteApi(this IEndpointRouteBuilder app) =>
        app.MapPost(Path + "/{" + DestinationRouteValue + "?}", HandleAsync).DisableAntiforgery().RequireWriteAuthentication().RequireAdmission(AdmissionEstimate.PerDeclaredByte);

    private static async Task HandleAsync(
        HttpContext context,
        WriteRequestPreparer preparer,
        IWriteSink sink,
        ReceiverMetrics metrics,
        IngestionStatus status,
        IOptions<ReceiverOptions> options,
        ILoggerFactory loggers)
    {
        var started = Stopwatch.GetTimestamp();
        var answer = options.Value;

        // The whole request, body and every part, answers within the deadline: the sender gives up
        // after its remote_timeout (30 s), and an answer it never reads only makes it send again.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(answer.RequestDeadline);
        int code;
        try
        {
            code = await AnswerAsync(context, preparer, sink, metrics, status, answer, loggers, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            // Out of time: nothing was answered 2xx, so nothing is lost; the sender sends it again.
            code = await RetryAsync(context, answer, null, $"not delivered within the request deadline of {answer.RequestDeadline.TotalSeconds:0.#} s, try again", loggers);
        }

        metrics.Answered(code, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private static async Task<int> AnswerAsync(HttpContext context, WriteRequestPreparer preparer, IWriteSink sink, ReceiverMetrics metrics, IngestionStatus status, ReceiverOptions options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var destination = request.RouteValues[DestinationRouteValue] as string;
        var routed = sink as IRoutedWriteSink;
        if (destination is not null && (routed is null || !routed.Knows(destination)))
        {
            return await PlainAsync(context, 404, routed is null ? "no destinations are configured (DESTINATIONS_FILE); write to " + Path : $"no destination named '{destination}'");
        }

        var limit = preparer.Limits.MaxRequestBytes;
        if (request.ContentLength > limit)
        {
            return await PlainAsync(context, 413, $"body of {request.ContentLength} bytes exceeds the limit of {limit} bytes");
        }

        var body = await RequestBodyReader.ReadAsync(request, limit, cancellationToken);
        if (body is null)
        {
            return await PlainAsync(context, 413, $"body exceeds the limit of {limit} bytes");
        }

        var lease = context.AdmissionLease();
        var unprepared = body;
        PreparedWrite prepared;
        try
        {
            // Before decoding: hold what decoding will need, or ask the sender to come back.
            if (lease is not null && !lease.TryResize(AdmissionEstimate.WhilePreparing(body.Span, preparer.Limits.MaxDecodedBytes)))
            {
                return await RetryAsync(context, options, null, "over capacity (bytes in flight), try again", loggers);
            }

            // The preparer owns the body from here: sent as it came, it becomes the part without a copy.
            unprepared = null;
            prepared = preparer.Prepare(body, request.ContentType, request.Headers.ContentEncoding);
        }
        catch (RemoteWriteException e)
        {
            return await PlainAsync(context, e.StatusCode, e.Message);
        }
        finally
        {
            unprepared?.Dispose();
        }

        using (prepared)
        {
            // From here the request holds only its parts while they are delivered.
            lease?.TryResize(prepared.PartBytes);
            metrics.Received(prepared.Received);
            status.RecordReceived(prepared.Received);
            foreach (var (reason, counts) in prepared.Dropped)
            {
                metrics.Dropped(reason, counts);
                status.RecordDropped(reason, counts.Points);
            }

            if (prepared.TruncatedSeries > 0)
            {
                metrics.Truncated(prepared.TruncatedSeries);
                status.RecordTruncated(prepared.TruncatedSeries);
            }

            var result = prepared.Parts.Count == 0 ? SinkResult.Delivered
                : routed is not null ? await routed.DeliverAsync(prepared, new WriteAddress(destination, name => request.Headers.TryGetValue(name, out var value) ? value.ToString() : null), cancellationToken)
                : await sink.DeliverAsync(prepared, cancellationToken);

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
                    return await RetryAsync(context, options, result.RetryAfter, result.Message ?? "destination unavailable, try again", loggers);
            }
        }
    }

    private static async Task<int> RetryAsync(HttpContext context, ReceiverOptions options, TimeSpan? retryAfter, string message, ILoggerFactory loggers)
    {
        retryAfter ??= options.DefaultRetryAfterSeconds > 0 ? TimeSpan.FromSeconds(options.DefaultRetryAfterSeconds) : null;
        if (retryAfter is { } after)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        loggers.CreateLogger(typeof(RemoteWriteApi).FullName!).LogDebug("Asked the sender to retry: {Reason}", message);
        return await PlainAsync(context, options.RetryStatusCode, message);
    }

    private static async Task<int> PlainAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(message + "\n", context.RequestAborted);
        return status;
    }
}
