using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace RemoteWrite.Testing.Malformed;

/// <summary>
/// Posts <see cref="MalformedBodies"/> to a running receiver with bounded concurrency and records every
/// answer by category, the failures (a status outside the expected set, a 5xx, no answer) and the
/// process' peak resident memory (VmHWM).
/// </summary>
public static class MalformedRun
{
    public static async Task<MalformedReport> RunAsync(Uri writeUrl, int pid, MalformedBodies bodies, int count, int concurrency, int probes, CancellationToken cancel)
    {
        var report = new MalformedReport(bodies.Seed);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };
        var next = -1;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < count && !cancel.IsCancellationRequested)
            {
                var body = bodies.Get(index);
                report.Record(body, await PostAsync(http, writeUrl, body, cancel));
            }
        }, cancel)).ToArray();
        await Task.WhenAll(workers);
        report.Elapsed = clock.Elapsed;

        foreach (var probe in bodies.Probes(probes))
        {
            report.RecordProbe(probe, await PostAsync(http, writeUrl, probe, cancel));
        }

        report.PeakRssKb = ReadStatusKb(pid, "VmHWM");
        return report;
    }

    /// <summary>A field of /proc/&lt;pid&gt;/status in kB (VmHWM: peak resident set).</summary>
    public static long ReadStatusKb(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    // The status, or -1 when no answer came (connection reset, timeout: what a crash looks like).
    private static async Task<(int Status, string? Error)> PostAsync(HttpClient http, Uri url, MalformedBody body, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body.Body) };
        if (body.ContentType is not null)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", body.ContentType);
        }

        if (body.ContentEncoding is not null)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Encoding", body.ContentEncoding);
        }

        if (body.Version is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Prometheus-Remote-Write-Version", body.Version);
        }

        try
        {
            using var response = await http.SendAsync(request, cancel);
            await response.Content.ReadAsByteArrayAsync(cancel);
            return ((int)response.StatusCode, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return (-1, e.GetType().Name + ": " + e.Message);
        }
    }
}

/// <summary>What a <see cref="MalformedRun"/> saw.</summary>
public sealed class MalformedReport(int seed)
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<int, int>> _statuses = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<int, int>> _probes = new();
    private readonly ConcurrentQueue<string> _failures = new();

    public int Seed => seed;

    public int Sent => _statuses.Values.Sum(s => s.Values.Sum());

    public int FailureCount => _failures.Count;

    public IEnumerable<string> Failures => _failures.Take(30);

    public int ServerErrors => _statuses.Values.Sum(s => s.Where(kv => kv.Key >= 500 || kv.Key < 0).Sum(kv => kv.Value));

    public int NonClientErrors => _statuses.Values.Sum(s => s.Where(kv => kv.Key is < 400 or >= 500).Sum(kv => kv.Value));

    public TimeSpan Elapsed { get; set; }

    public long PeakRssKb { get; set; }

    public IReadOnlyDictionary<int, int> StatusesOf(string category) => _statuses.GetValueOrDefault(category) ?? new ConcurrentDictionary<int, int>();

    internal void Record(MalformedBody body, (int Status, string? Error) answer)
    {
        _statuses.GetOrAdd(body.Category, _ => new()).AddOrUpdate(answer.Status, 1, (_, n) => n + 1);
        if (!body.Expected.Contains(answer.Status))
        {
            _failures.Enqueue(string.Create(CultureInfo.InvariantCulture,
                $"seed {seed} index {body.Index} {body.Category}/{body.Variant} ({body.Body.Length} bytes): got {(answer.Status < 0 ? answer.Error : answer.Status)}, expected {string.Join('/', body.Expected)}"));
        }
    }

    internal void RecordProbe(MalformedBody probe, (int Status, string? Error) answer) =>
        _probes.GetOrAdd(Variant(probe.Variant), _ => new()).AddOrUpdate(answer.Status, 1, (_, n) => n + 1);

    // "valid-1234-labels" → "valid-N-labels": one row however many labels each probe had.
    private static string Variant(string variant) => System.Text.RegularExpressions.Regex.Replace(variant, @"\d{3,}", "N");

    /// <summary>category → count → statuses, then the probes (valid bodies, reported only).</summary>
    public string Table(string service)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{service}: {Sent} bad bodies, seed {seed}, {Elapsed.TotalSeconds:0.0} s, peak RSS (VmHWM) {PeakRssKb / 1024.0:0.0} MB, {FailureCount} unexpected answers");
        text.AppendLine(CultureInfo.InvariantCulture, $"  {"category",-20} {"count",6}  statuses");
        foreach (var category in MalformedBodies.Categories)
        {
            var statuses = StatusesOf(category);
            text.AppendLine(CultureInfo.InvariantCulture, $"  {category,-20} {statuses.Values.Sum(),6}  {Describe(statuses)}");
        }

        foreach (var (variant, statuses) in _probes.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  probe {variant,-30} {statuses.Values.Sum(),4}  {Describe(statuses)} (valid body: reported, not asserted)");
        }

        return text.ToString();
    }

    private static string Describe(IReadOnlyDictionary<int, int> statuses) =>
        string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => string.Create(CultureInfo.InvariantCulture, $"{(s.Key < 0 ? "no answer" : s.Key.ToString(CultureInfo.InvariantCulture))}: {s.Value}")));
}

/// <summary>The suite's settings and its assertions, shared by the standalone relay's and the ingress' tests.</summary>
public static class MalformedSuite
{
    /// <summary>Issue 10: at least 10,000 bad bodies per run.</summary>
    public static int Count => int.TryParse(Environment.GetEnvironmentVariable("MALFORMED_COUNT"), out var n) ? n : 10_000;

    /// <summary>Fixed unless <c>MALFORMED_SEED</c> says otherwise, so a failure is reproduced by rerunning with the printed seed.</summary>
    public static int Seed => int.TryParse(Environment.GetEnvironmentVariable("MALFORMED_SEED"), out var s) ? s : 20_261_001;

    public const int Concurrency = 8;

    /// <summary>Issue 10: peak RSS under 300 MB.</summary>
    public const long MaxPeakRssKb = 300 * 1024;

    /// <summary>Every bad body got a 4xx from its expected set, the process lived, and memory stayed bounded.</summary>
    public static void AssertRefusedEverything(MalformedReport report, int expectedCount, bool processExited)
    {
        Assert.False(processExited, "the service exited during the run");
        Assert.Equal(expectedCount, report.Sent);
        Assert.True(report.ServerErrors == 0, $"{report.ServerErrors} answers were 5xx or none:\n{string.Join('\n', report.Failures)}");
        Assert.True(report.NonClientErrors == 0, $"{report.NonClientErrors} answers were not 4xx:\n{string.Join('\n', report.Failures)}");
        Assert.True(report.FailureCount == 0, $"{report.FailureCount} answers were 4xx but not the expected status:\n{string.Join('\n', report.Failures)}");
        Assert.True(report.PeakRssKb < MaxPeakRssKb, $"peak RSS {report.PeakRssKb / 1024.0:0.0} MB is over 300 MB");
    }
}
