using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RemoteWrite.Core.Azure;
using RemoteWrite.Core.Destinations;
using RemoteWrite.Core.Identity;

namespace RemoteWrite.Core.Tests.Destinations;

public sealed class DestinationEndpointTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private DestinationEndpoint Endpoint(int perMinute = 15_000) =>
        new("ws", new Uri("https://dce-1.westeurope-1.metrics.ingest.monitor.azure.com/dataCollectionRules/dcr-1/streams/Microsoft-PrometheusMetrics/api/v1/write?api-version=2023-04-24"), perMinute, new NoTokens(), _time, new DestinationMetrics(_services.GetRequiredService<IMeterFactory>()));

    [Fact]
    public void A_429_avoids_the_endpoint_for_Azures_Retry_After()
    {
        using var endpoint = Endpoint();

        endpoint.Answered(new SendResult(SendOutcome.Retry, 429, TimeSpan.FromSeconds(20)));

        Assert.False(endpoint.IsAvailable);
        _time.Advance(TimeSpan.FromSeconds(19));
        Assert.False(endpoint.IsAvailable);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(endpoint.IsAvailable);
    }

    [Fact]
    public void Failures_without_Retry_After_back_off_doubling_and_a_2xx_resets_the_backoff()
    {
        using var endpoint = Endpoint();

        endpoint.Answered(new SendResult(SendOutcome.Retry, 500));
        Assert.Equal(TimeSpan.FromSeconds(1), endpoint.AvoidedFor);
        _time.Advance(TimeSpan.FromSeconds(1));
        endpoint.Answered(new SendResult(SendOutcome.Retry, 502));
        Assert.Equal(TimeSpan.FromSeconds(2), endpoint.AvoidedFor);
        _time.Advance(TimeSpan.FromSeconds(2));
        endpoint.Answered(new SendResult(SendOutcome.Accepted, 200));
        endpoint.Answered(new SendResult(SendOutcome.Retry, 0));
        Assert.Equal(TimeSpan.FromSeconds(1), endpoint.AvoidedFor);
    }

    [Theory]
    [InlineData(SendOutcome.Unauthorized, 403)]
    [InlineData(SendOutcome.Rejected, 400)]
    public void Identity_or_data_problems_do_not_avoid_the_endpoint(SendOutcome outcome, int status)
    {
        using var endpoint = Endpoint();

        endpoint.Answered(new SendResult(outcome, status));

        Assert.True(endpoint.IsAvailable);
    }

    [Fact]
    public void A_spent_per_minute_budget_avoids_the_endpoint_until_a_slot_frees()
    {
        using var endpoint = Endpoint(perMinute: 2);

        Assert.True(endpoint.TryAcquire());
        Assert.True(endpoint.TryAcquire());
        Assert.False(endpoint.TryAcquire());

        Assert.False(endpoint.IsAvailable);
        Assert.InRange(endpoint.AvoidedFor, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
    }

    public void Dispose() => _services.Dispose();

    private sealed class NoTokens : IAccessTokenSource
    {
        public ValueTask<global::Azure.Core.AccessToken?> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult<global::Azure.Core.AccessToken?>(null);

        public void Invalidate(global::Azure.Core.AccessToken rejected)
        {
        }
    }
}
