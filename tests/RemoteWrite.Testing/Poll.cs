namespace RemoteWrite.Testing;

/// <summary>Bounded waiting instead of fixed sleeps (a loaded 2-core box): poll until a condition holds or the time is up.</summary>
public static class Poll
{
    /// <summary>
    /// Until <paramref name="condition"/> is true; a peer not up yet (connection refused, timeout,
    /// reset) counts as false. Every 200 ms unless <paramref name="every"/> says otherwise.
    /// </summary>
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

    /// <summary>As <see cref="UntilAsync(Func{Task{bool}}, TimeSpan, TimeSpan?)"/>, failing the test with <paramref name="what"/> on timeout.</summary>
    public static async Task AssertAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        Assert.True(await UntilAsync(condition, timeout), $"Timed out after {timeout.TotalSeconds:0} s waiting for: {what}");
    }

    /// <summary>
    /// Reads until <paramref name="done"/> holds or the time is up, and returns the last value read
    /// (so the caller asserts on it and the message can show it). Exceptions propagate.
    /// </summary>
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

    /// <summary>
    /// A counter read until two reads <paramref name="apart"/> agree (or the time is up), e.g. after its
    /// source stopped: work already in the peer may still be counted, and a /metrics answer may be cached.
    /// </summary>
    public static async Task<T> SettledAsync<T>(Func<Task<T>> read, TimeSpan apart, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = await read();
        while (true)
        {
            await Task.Delay(apart);
            var next = await read();
            if (EqualityComparer<T>.Default.Equals(next, last) || DateTime.UtcNow > deadline)
            {
                return next;
            }

            last = next;
        }
    }

    /// <summary>An in-process condition, checked every 20 ms.</summary>
    public static Task<bool> UntilAsync(Func<bool> condition, TimeSpan timeout) =>
        UntilAsync(() => Task.FromResult(condition()), v => v, timeout, TimeSpan.FromMilliseconds(20));

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
}
