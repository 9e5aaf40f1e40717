using System.Net;
using Microsoft.Extensions.DependencyInjection;
using RemoteWrite.Core.Azure.Check;
using RemoteWrite.Standalone.Tests.Infrastructure;

namespace RemoteWrite.Standalone.Tests.Check;

/// <summary>The check command's verdicts in-process, with Azure's answers scripted (the process tests run the real dll).</summary>
public sealed class CheckCommandServiceTests
{
    [Theory]
    [InlineData(HttpStatusCode.OK, CheckProblem.None, "200")]
    [InlineData(HttpStatusCode.Forbidden, CheckProblem.Role, "up to 30 minutes")]
    [InlineData(HttpStatusCode.Unauthorized, CheckProblem.Token, "audience")]
    [InlineData(HttpStatusCode.RequestEntityTooLarge, CheckProblem.BodyLimit, "413")]
    [InlineData(HttpStatusCode.NotFound, CheckProblem.Url, "DCR immutable id")]
    [InlineData(HttpStatusCode.ServiceUnavailable, CheckProblem.Service, "503")]
    public async Task Each_answer_names_what_is_wrong(HttpStatusCode answer, CheckProblem expected, string detail)
    {
        using var relay = new RelayFactory();
        relay.Azure.Then(answer, answer == HttpStatusCode.OK ? null : """{"error":{"code":"X","message":"reason"}}""");

        var verdict = Assert.Single(await relay.Services.GetRequiredService<ConnectionCheck>().RunAsync(CancellationToken.None));

        Assert.Equal(expected, verdict.Problem);
        Assert.Contains(detail, verdict.ToString());
        Assert.Equal("default", verdict.Destination);
        var sent = Assert.Single(relay.Azure.Requests);
        Assert.Equal(ConnectionCheck.EmptyWriteRequest, sent.Body);
        Assert.Equal("snappy", sent.ContentEncoding);
        Assert.Empty(RemoteWriteBodies.Decode(sent.Body).Timeseries);
        Assert.DoesNotContain("token-", verdict.ToString());
    }

    [Fact]
    public async Task A_part_limit_over_Azure_s_is_a_body_limit_problem_even_when_the_endpoint_answers()
    {
        using var relay = new RelayFactory(new Dictionary<string, string?> { ["RemoteWrite:MaxPartBytes"] = "2000000" });

        var verdict = Assert.Single(await relay.Services.GetRequiredService<ConnectionCheck>().RunAsync(CancellationToken.None));

        Assert.Equal(CheckProblem.BodyLimit, verdict.Problem);
        Assert.Contains("1048576", verdict.Detail);
    }
}
