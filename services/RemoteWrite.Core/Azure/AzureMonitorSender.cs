using System.Diagnostics;
using System.Net.Http.Headers;
using Azure.Core;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace RemoteWrite.Core.Azure;

/// <summary>
/// POSTs one snappy-compressed remote-write 1.0 body to the ingestion URL, as configured, and says
/// what the answer means (CONTRACT.md §2): never throws for an HTTP or network failure. Shared by
/// the standalone relay and the Dapr forwarder; the caller owns the token. The named HttpClient
/// <see cref="HttpClientName"/> carries pooling, the concurrency bound and the resilience pipeline.
/// </summary>
public sealed class AzureMonitorSender(IHttpClientFactory clients, IOptions<AzureMonitorOptions> options, TimeProvider time)
{
    public const string HttpClientName = "AzureMonitor";

    // Azure error bodies are short JSON; never read more than this of one.
    private const int MaxErrorBodyChars = 4096;

    private readonly Uri? _url = options.Value.IngestionUrl is { Length: > 0 } url ? new Uri(url.Trim()) : null;
    private readonly string _userAgent = options.Value.UserAgent;

    /// <summary>Sends <paramref name="body"/> to <c>INGESTION_URL</c>; throws only <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires.</summary>
    public Task<SendResult> SendAsync(ReadOnlyMemory<byte> body, AccessToken token, CancellationToken cancellationToken) =>
        SendAsync(_url ?? throw new InvalidOperationException("AzureMonitor:IngestionUrl is not set."), body, token, cancellationToken);

    /// <summary>Sends <paramref name="body"/> to <paramref name="url"/> (one of several destinations or endpoints).</summary>
    public async Task<SendResult> SendAsync(Uri url, ReadOnlyMemory<byte> body, AccessToken token, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ReadOnlyMemoryContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        request.Content.Headers.ContentEncoding.Add("snappy");
        request.Headers.TryAddWithoutValidation("X-Prometheus-Remote-Write-Version", "0.1.0");
        request.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);

        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new SendResult(SendOutcome.Accepted, status, Duration: Stopwatch.GetElapsedTime(started));
            }

            var message = AzureErrorMessage.From(status, await ReadErrorAsync(response, cancellationToken));
            var outcome = status switch
            {
                401 or 403 => SendOutcome.Unauthorized,
                408 or 429 or >= 500 => SendOutcome.Retry,
                >= 400 => SendOutcome.Rejected,
                _ => SendOutcome.Retry, // 1xx/3xx: not an answer the protocol knows; do not drop data on it
            };
            var retryAfter = outcome == SendOutcome.Retry ? RetryAfterHeader.Parse(response.Headers.RetryAfter, time.GetUtcNow()) : null;
            return new SendResult(outcome, status, retryAfter, message, Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (BrokenCircuitException)
        {
            return new SendResult(SendOutcome.Retry, 0, AzureMonitorServiceCollectionExtensions.CircuitBreakDuration, "Azure Monitor keeps failing; pausing sends (circuit open)", Stopwatch.GetElapsedTime(started));
        }
        catch (Exception e) when (e is TimeoutRejectedException or OperationCanceledException)
        {
            return new SendResult(SendOutcome.Retry, 0, null, "Azure Monitor did not answer in time", Stopwatch.GetElapsedTime(started));
        }
        catch (HttpRequestException e)
        {
            return new SendResult(SendOutcome.Retry, 0, null, $"cannot reach Azure Monitor: {e.Message}", Stopwatch.GetElapsedTime(started));
        }
    }

    private static async Task<string?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var reader = new StreamReader(stream);
            var buffer = new char[MaxErrorBodyChars];
            var read = await reader.ReadBlockAsync(buffer, cancellationToken);
            return new string(buffer, 0, read);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return null;
        }
    }
}
