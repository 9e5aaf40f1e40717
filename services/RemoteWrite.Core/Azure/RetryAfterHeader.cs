using System.Net.Http.Headers;

namespace RemoteWrite.Core.Azure;

/// <summary>Reads <c>Retry-After</c> as seconds or as an HTTP date (both are allowed, CONTRACT.md §1).</summary>
public static class RetryAfterHeader
{
    public static TimeSpan? Parse(RetryConditionHeaderValue? value, DateTimeOffset now)
    {
        if (value?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (value?.Date is { } date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }
}
