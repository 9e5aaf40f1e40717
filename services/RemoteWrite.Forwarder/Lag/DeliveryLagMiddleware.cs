using System.Globalization;
using RemoteWrite.Dapr;

namespace RemoteWrite.Forwarder.Lag;

/// <summary>
/// Watches <c>POST /deliveries</c> and <c>/redeliveries</c> (the retry topic) from outside the handler: the oldest timestamp comes from the
/// message metadata (a single delivery's headers, a bulk's entry metadata), and the delivery counts as
/// sent when the answer is 2xx with no <c>RETRY</c> or <c>DROP</c> in it. Kept apart from the delivery
/// code so that code stays as it is; see <see cref="LagServiceCollectionExtensions"/>.
/// </summary>
public sealed class DeliveryLagMiddleware(RequestDelegate next, DeliveryLag lag)
{
    private static readonly string Route = "/" + DaprNames.DeliveryRoute;
    private static readonly string RetryRoute = "/" + DaprNames.RetryDeliveryRoute;

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (!HttpMethods.IsPost(context.Request.Method) || !(path.Equals(Route, StringComparison.OrdinalIgnoreCase) || path.Equals(RetryRoute, StringComparison.OrdinalIgnoreCase)))
        {
            await next(context);
            return;
        }

        var delivery = lag.Begin();
        var unsent = false; // an entry answered RETRY or DROP: not (all) sent
        var scanner = new OldestTimestampScanner(delivery);
        var request = context.Request.Body;
        var response = context.Response.Body;
        try
        {
            // daprd passes a single delivery's metadata as HTTP headers (postman/http/http.go).
            if (long.TryParse(context.Request.Headers[HandOff.MinTimestampKey], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
            {
                delivery.Saw(ms);
            }

            context.Request.Body = new ScanningReadStream(request, scanner.Scan);
            context.Response.Body = new ScanningWriteStream(response, chunk => unsent |= chunk.IndexOf("\"RETRY\""u8) >= 0 || chunk.IndexOf("\"DROP\""u8) >= 0);
            await next(context);
            lag.End(delivery, accepted: context.Response.StatusCode is >= 200 and < 300 && !unsent);
        }
        catch
        {
            lag.End(delivery, accepted: false);
            throw;
        }
        finally
        {
            context.Request.Body = request;
            context.Response.Body = response;
        }
    }
}
