using System.Diagnostics.Metrics;

namespace RemoteWrite.Standalone.Tests.Infrastructure;

/// <summary>An <see cref="IMeterFactory"/> for types built by hand in tests.</summary>
public sealed class SimpleMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose() => _meters.ForEach(m => m.Dispose());
}
