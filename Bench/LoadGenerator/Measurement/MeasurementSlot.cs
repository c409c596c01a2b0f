namespace Realtime.Bench.Measurement;

/// <summary>
/// Where a fleet's clients report what they receive: one run's measurements at a time, switched between the steps
/// of a run that keeps its clients connected (the capacity search), empty while nothing is measured.
/// </summary>
public sealed class MeasurementSlot
{
    private StreamMeasurements? _current;

    public MeasurementSlot(StreamMeasurements? measurements = null) => _current = measurements;

    public StreamMeasurements? Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value);
    }
}
