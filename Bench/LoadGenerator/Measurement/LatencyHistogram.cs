using System.Numerics;

namespace Realtime.Bench.Measurement;

/// <summary>
/// A log-linear histogram of latencies in microseconds (HdrHistogram's layout, two and a bit significant digits):
/// exact below 256 µs, within 0.8 % above. Recording is one interlocked increment, so every receive loop records
/// into the same instance without a lock and without keeping millions of samples.
/// </summary>
public sealed class LatencyHistogram
{
    private const int Linear = 256;
    private const int SubBuckets = 128;
    private const int MaxExponent = 33;

    private readonly long[] _counts = new long[Linear + MaxExponent * SubBuckets];
    private long _total;
    private long _sum;
    private long _max;

    public long Count => Interlocked.Read(ref _total);

    public double MeanMilliseconds => Count == 0 ? double.NaN : Interlocked.Read(ref _sum) / 1000.0 / Count;

    public double MaxMilliseconds => Interlocked.Read(ref _max) / 1000.0;

    public void Record(long microseconds)
    {
        var value = Math.Max(0, microseconds);
        Interlocked.Increment(ref _counts[Index(value)]);
        Interlocked.Increment(ref _total);
        Interlocked.Add(ref _sum, value);
        long max;
        while (value > (max = Interlocked.Read(ref _max)) && Interlocked.CompareExchange(ref _max, value, max) != max)
        {
        }
    }

    /// <summary>The latency at or below which <paramref name="percentile"/> % of the samples lie, in milliseconds.</summary>
    public double PercentileMilliseconds(double percentile)
    {
        var total = Count;
        if (total == 0)
        {
            return double.NaN;
        }
        var rank = (long)Math.Ceiling(percentile / 100 * total);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= Math.Max(1, rank))
            {
                return Math.Min(UpperBound(i), Interlocked.Read(ref _max)) / 1000.0;
            }
        }
        return MaxMilliseconds;
    }

    internal static int Index(long value)
    {
        if (value < Linear)
        {
            return (int)value;
        }
        // The shift that brings value into [128, 256): the bucket keeps its top eight bits.
        var shift = Math.Min(63 - BitOperations.LeadingZeroCount((ulong)value) - 7, MaxExponent);
        var top = Math.Min(value >> shift, Linear - 1);
        return Linear + (shift - 1) * SubBuckets + (int)(top - SubBuckets);
    }

    internal static long UpperBound(int index)
    {
        if (index < Linear)
        {
            return index;
        }
        var shift = (index - Linear) / SubBuckets + 1;
        var top = (index - Linear) % SubBuckets + SubBuckets;
        return ((top + 1) << shift) - 1;
    }
}
