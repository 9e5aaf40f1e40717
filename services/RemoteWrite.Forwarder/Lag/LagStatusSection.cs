using System.Globalization;
using RemoteWrite.Hosting.Status;

namespace RemoteWrite.Forwarder.Lag;

/// <summary>The forwarder's lag and, when Redis is watched, the broker backlog, on the status page.</summary>
public sealed class LagStatusSection(DeliveryLag lag, BrokerBacklog backlog) : IStatusSection
{
    public string Title => "Lag and backlog";

    public IEnumerable<(string Name, string Value)> Rows()
    {
        yield return ("oldest sample being sent (age)", lag.OldestSampleAge().TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s");
        if (!backlog.Enabled)
        {
            yield return ("broker backlog", "not watched (Forwarder__Lag__RedisAddress not set)");
            yield break;
        }

        var (pending, unread, length) = backlog.Last;
        yield return ("broker: delivered, not acknowledged", Count(pending));
        yield return ("broker: not yet delivered", Count(unread));
        yield return ("broker: stream length", Count(length));
    }

    private static string Count(long value) => value < 0 ? "unknown (Redis not read yet or unreachable)" : value.ToString("N0", CultureInfo.InvariantCulture);
}
