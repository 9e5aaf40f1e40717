namespace RemoteWrite.Dapr.Tests.Infrastructure;

/// <summary>Bounded waiting: poll a condition until it holds or the time is up.</summary>
public static class Poll
{
    public static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan? every = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return true;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                // not up yet
            }

            await Task.Delay(every ?? TimeSpan.FromMilliseconds(200));
        }

        return false;
    }

    public static async Task AssertAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        Assert.True(await UntilAsync(condition, timeout), $"Timed out after {timeout.TotalSeconds:0} s waiting for: {what}");
    }
}
