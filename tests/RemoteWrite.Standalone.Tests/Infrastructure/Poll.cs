namespace RemoteWrite.Standalone.Tests.Infrastructure;

/// <summary>Poll-until with a bound, instead of fixed sleeps (a loaded 2-core box).</summary>
public static class Poll
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>Until <paramref name="url"/> answers 200 (connection refused counts as not yet).</summary>
    public static Task<bool> UntilOkAsync(HttpClient http, Uri url, TimeSpan timeout) =>
        UntilAsync(
            async () =>
            {
                try
                {
                    using var response = await http.GetAsync(url);
                    return response.StatusCode == System.Net.HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            ok => ok,
            timeout,
            TimeSpan.FromMilliseconds(250));

    public static Task<bool> UntilAsync(Func<bool> condition, TimeSpan timeout) =>
        UntilAsync(() => Task.FromResult(condition()), v => v, timeout, TimeSpan.FromMilliseconds(20));
}
