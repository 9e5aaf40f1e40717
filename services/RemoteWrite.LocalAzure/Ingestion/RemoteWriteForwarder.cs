using System.Net.Http.Headers;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using RemoteWrite.LocalAzure.Options;

namespace RemoteWrite.LocalAzure.Ingestion;

/// <summary>
/// Copies accepted bodies to a real Prometheus remote-write receiver (<c>ForwardUrl</c> / <c>FORWARD_URL</c>,
/// e.g. <c>prometheus --web.enable-remote-write-receiver</c>) so PromQL works on what arrived.
/// Best effort: a full queue or a failed post drops the copy and never affects the answer.
/// </summary>
internal sealed class RemoteWriteForwarder : BackgroundService
{
    private readonly Channel<byte[]> _queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Uri? _target;
    private readonly IHttpClientFactory _clients;
    private readonly ILogger<RemoteWriteForwarder> _logger;

    public RemoteWriteForwarder(IOptions<LocalAzureOptions> options, IHttpClientFactory clients, ILogger<RemoteWriteForwarder> logger)
    {
        _target = string.IsNullOrWhiteSpace(options.Value.ForwardUrl) ? null : new Uri(options.Value.ForwardUrl);
        _clients = clients;
        _logger = logger;
    }

    public void TryForward(ReadOnlySpan<byte> compressedBody)
    {
        if (_target is not null)
        {
            _queue.Writer.TryWrite(compressedBody.ToArray());
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_target is null)
        {
            return;
        }

        var client = _clients.CreateClient(nameof(RemoteWriteForwarder));
        await foreach (var body in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue(IngestionContent.ContentType);
                content.Headers.ContentEncoding.Add("snappy");
                using var request = new HttpRequestMessage(HttpMethod.Post, _target) { Content = content };
                request.Headers.Add(IngestionContent.VersionHeader, IngestionContent.Version);
                using var response = await client.SendAsync(request, stoppingToken);
                if (!response.IsSuccessStatusCode)
                {
                    _logger.LogWarning("Forward to {Target} answered {Status}", _target, (int)response.StatusCode);
                }
            }
            catch (HttpRequestException e)
            {
                _logger.LogWarning("Forward to {Target} failed: {Error}", _target, e.Message);
            }
        }
    }
}
