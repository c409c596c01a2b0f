using System.Diagnostics;

namespace Realtime.Bench.Measurement;

/// <summary>CPU used by a set of processes between <see cref="Start"/> and <see cref="Stop"/>, in percent of one core.</summary>
public sealed class CpuWindow(IReadOnlyList<MonitoredProcess> processes)
{
    private double[] _startCpu = [];
    private long _startedAt;
    private double[] _used = [];
    private TimeSpan _elapsed;

    public static CpuWindow Start(IReadOnlyList<MonitoredProcess> processes)
    {
        var window = new CpuWindow(processes);
        window._startCpu = [.. processes.Select(p => p.CpuSeconds())];
        window._startedAt = Stopwatch.GetTimestamp();
        return window;
    }

    public void Stop()
    {
        _elapsed = Stopwatch.GetElapsedTime(_startedAt);
        _used = [.. processes.Select((p, i) => p.CpuSeconds() - _startCpu[i])];
    }

    /// <summary>All processes together; NaN when there are none (an in-process server cannot be told apart).</summary>
    public double TotalPercent => processes.Count == 0 ? double.NaN : _used.Sum() / _elapsed.TotalSeconds * 100;

    public double PercentOf(int index) => _used[index] / _elapsed.TotalSeconds * 100;
}
