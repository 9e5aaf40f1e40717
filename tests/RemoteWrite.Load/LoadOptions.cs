using System.Globalization;

namespace RemoteWrite.Load;

/// <summary>Command-line options: <c>--name value</c> pairs; <c>--pid</c> may repeat; <c>--churn</c> is a flag.</summary>
internal sealed record LoadOptions(
    Uri Url,
    int Requests,
    int Series,
    int SamplesPerSeries,
    int Concurrency,
    int Protocol,
    TimeSpan MaxDuration,
    IReadOnlyList<int> Pids,
    string? BearerToken,
    double Rate = 0,
    bool Churn = false,
    int FirstBody = 0)
{
    public const string Usage = """
        usage: RemoteWrite.Load --url http://127.0.0.1:8081/api/v1/write [options]
          --requests N          requests to send (default 300)
          --series N            series per request, one label set each (default 2000)
          --samples N           samples per series (default 1)
          --concurrency N       requests in flight at most (default 8)
          --rate R              fixed rate: start R requests per second whatever the answers (default 0: as fast as
                                --concurrency allows, for saturation)
          --churn               new series in every request (default: 16 bodies sent in turn)
          --first-body N        body index to start from: another N, other series (default 0)
          --protocol 1|2        remote-write 1.0 or 2.0 (default 1)
          --max-seconds N       start no request after this long (default 120)
          --pid PID             also report this process' CPU per sample (repeatable)
          --bearer TOKEN        send Authorization: Bearer TOKEN
        Only loopback targets are accepted.
        """;

    /// <summary>Samples in one request.</summary>
    public long SamplesPerRequest => (long)Series * SamplesPerSeries;

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        string? url = null, bearer = null;
        int requests = 300, series = 2000, samples = 1, concurrency = 8, protocol = 1, maxSeconds = 120, firstBody = 0;
        double rate = 0;
        var churn = false;
        var pids = new List<int>();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--churn")
            {
                churn = true;
                continue;
            }

            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--url": url = value; break;
                case "--requests": requests = Int(value); break;
                case "--series": series = Int(value); break;
                case "--samples": samples = Int(value); break;
                case "--concurrency": concurrency = Int(value); break;
                case "--rate": rate = double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture); break;
                case "--first-body": firstBody = Int(value); break;
                case "--protocol": protocol = Int(value); break;
                case "--max-seconds": maxSeconds = Int(value); break;
                case "--pid": pids.Add(Int(value)); break;
                case "--bearer": bearer = value; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }

            i++;
        }

        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new ArgumentException("--url is required and must be absolute");
        }

        var options = new LoadOptions(uri, requests, series, samples, concurrency, protocol, TimeSpan.FromSeconds(maxSeconds), pids, bearer, rate, churn, firstBody);
        options.Validate();
        return options;
    }

    /// <summary>Throws <see cref="ArgumentException"/> for options no run can use; callers building options in code call it too.</summary>
    public void Validate()
    {
        // Load goes to this machine only.
        if (!Url.IsLoopback)
        {
            throw new ArgumentException("--url must be a loopback address (127.0.0.0/8, localhost or [::1])");
        }

        if (Protocol is not (1 or 2))
        {
            throw new ArgumentException("--protocol must be 1 or 2");
        }

        if (Requests < 1 || Series < 1 || SamplesPerSeries < 1 || Concurrency < 1 || MaxDuration <= TimeSpan.Zero || FirstBody < 0)
        {
            throw new ArgumentException("counts must be positive");
        }

        if (Rate < 0 || double.IsNaN(Rate) || double.IsInfinity(Rate))
        {
            throw new ArgumentException("--rate must be 0 (saturation) or a positive number of requests per second");
        }
    }

    private static int Int(string value) => int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture);
}
