using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace RemoteWrite.Hosting.Admission;

/// <summary>
/// Runs before a receiving endpoint's handler, so before its body is read: takes a lease of the
/// <see cref="InFlightBudget"/> for the declared body (times <paramref name="heldPerBodyByte"/>, what
/// the handler holds per byte received) or answers 503 with Retry-After at once — never a queue.
/// The lease is the handler's (<see cref="AdmissionLease"/> in the request's features) until it ends.
/// </summary>
internal sealed class AdmissionFilter(InFlightBudget budget, IOptions<AdmissionOptions> options, double heldPerBodyByte) : IEndpointFilter
{
    /// <summary>Held for a body of unknown length (chunked) until the handler knows better.</summary>
    public const long UnknownLengthBytes = 1024 * 1024;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var declared = http.Request.ContentLength ?? UnknownLengthBytes;
        using var lease = budget.TryEnter((long)(declared * heldPerBodyByte), out var refusedBy);
        if (lease is null)
        {
            var response = http.Response;
            response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            response.Headers.RetryAfter = options.Value.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);

            // The body is never read: closing the connection spares reading megabytes only to discard them.
            response.Headers.Connection = "close";
            return Results.Text(
                refusedBy == InFlightBudget.RefusedBy.Bytes ? "over capacity (bytes in flight), try again\n" : "over capacity (requests in flight), try again\n",
                "text/plain; charset=utf-8",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        http.Features.Set(lease);
        return await next(context);
    }
}
