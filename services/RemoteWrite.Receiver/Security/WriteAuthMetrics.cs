using System.Diagnostics.Metrics;

namespace RemoteWrite.Receiver.Security;

/// <summary>Writes refused before the body was read, exported as <c>remotewrite_receiver_unauthorized_total{reason}</c>.</summary>
public sealed class WriteAuthMetrics
{
    private readonly Counter<long> _unauthorized;

    public WriteAuthMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(ReceiverMetrics.MeterName);
        _unauthorized = meter.CreateCounter<long>("remotewrite.receiver.unauthorized", "{request}", "Remote-write requests refused by write authentication (401/403), by reason.");
        foreach (var outcome in (ReadOnlySpan<WriteAuthOutcome>)[WriteAuthOutcome.Missing, WriteAuthOutcome.Scheme, WriteAuthOutcome.Invalid, WriteAuthOutcome.ClientCertificate])
        {
            _unauthorized.Add(0, new KeyValuePair<string, object?>("reason", Label(outcome)));
        }
    }

    public void Refused(WriteAuthOutcome outcome) => _unauthorized.Add(1, new KeyValuePair<string, object?>("reason", Label(outcome)));

    public static string Label(WriteAuthOutcome outcome) => outcome switch
    {
        WriteAuthOutcome.Missing => "missing",
        WriteAuthOutcome.Scheme => "scheme",
        WriteAuthOutcome.Invalid => "invalid",
        WriteAuthOutcome.ClientCertificate => "client_certificate",
        WriteAuthOutcome.NotLoaded => "not_loaded",
        WriteAuthOutcome.Busy => "busy",
        _ => "allowed",
    };
}
