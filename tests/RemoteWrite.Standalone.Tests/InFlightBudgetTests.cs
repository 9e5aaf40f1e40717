using Microsoft.Extensions.Options;
using RemoteWrite.Hosting.Admission;
using RemoteWrite.Standalone.Tests.Infrastructure;

namespace RemoteWrite.Standalone.Tests;

/// <summary>The budget every receiving endpoint shares (services/RemoteWrite.Hosting/Admission).</summary>
public sealed class InFlightBudgetTests : IDisposable
{
    private const long MiB = 1024 * 1024;
    private readonly SimpleMeterFactory _meters = new();

    [Fact]
    public void Leases_fit_within_the_bytes_and_are_given_back()
    {
        var budget = Budget(bytes: 10 * MiB, requests: 10);

        using var first = budget.TryEnter(6 * MiB, out _);
        var second = budget.TryEnter(5 * MiB, out var refusedBy);

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Equal(InFlightBudget.RefusedBy.Bytes, refusedBy);
        first!.Dispose();
        Assert.Equal(0, budget.HeldBytes);
        using var third = budget.TryEnter(5 * MiB, out _);
        Assert.NotNull(third);
    }

    [Fact]
    public void The_request_count_is_a_budget_of_its_own()
    {
        var budget = Budget(bytes: 100 * MiB, requests: 2);

        using var a = budget.TryEnter(1, out _);
        using var b = budget.TryEnter(1, out _);
        var c = budget.TryEnter(1, out var refusedBy);

        Assert.Null(c);
        Assert.Equal(InFlightBudget.RefusedBy.Requests, refusedBy);
        Assert.Equal(2, budget.HeldRequests);
    }

    [Fact]
    public void A_lease_grows_only_within_the_budget_and_shrinks_freely()
    {
        var budget = Budget(bytes: 10 * MiB, requests: 10);
        using var other = budget.TryEnter(4 * MiB, out _);
        using var lease = budget.TryEnter(1 * MiB, out _);

        Assert.False(lease!.TryResize(7 * MiB));
        Assert.Equal(1 * MiB, lease.Bytes);
        Assert.True(lease.TryResize(6 * MiB));
        Assert.True(lease.TryResize(MiB / 2));
        Assert.Equal(4 * MiB + (MiB / 2), budget.HeldBytes);
    }

    [Fact]
    public void A_request_larger_than_the_whole_budget_runs_alone_and_may_grow_while_alone()
    {
        var budget = Budget(bytes: 10 * MiB, requests: 10);

        using (var alone = budget.TryEnter(30 * MiB, out _))
        {
            Assert.NotNull(alone);
            Assert.True(alone!.TryResize(40 * MiB));
            Assert.Null(budget.TryEnter(1, out _)); // nothing beside it
        }

        using var next = budget.TryEnter(2 * MiB, out _);
        Assert.NotNull(next);
        Assert.Null(budget.TryEnter(30 * MiB, out _)); // not alone any more
    }

    public void Dispose() => _meters.Dispose();

    private InFlightBudget Budget(long bytes, int requests) =>
        new(Options.Create(new AdmissionOptions { MaxInFlightBytes = bytes, MaxConcurrentRequests = requests }), _meters);
}
