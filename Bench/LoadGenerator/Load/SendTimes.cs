namespace Realtime.Bench.Load;

/// <summary>
/// When each quote left the generator, by sequence number (the quote's price), for the numbers from
/// <paramref name="first"/> on. The pusher writes each slot once before the quote exists anywhere else; receive loops
/// read it when the quote comes back. A run of several steps numbers its quotes on, each step with its own table.
/// </summary>
public sealed class SendTimes(long first, int capacity)
{
    private readonly long[] _sentAt = new long[capacity];

    public SendTimes(int capacity)
        : this(0, capacity)
    {
    }

    public long First => first;

    /// <summary>One past the last sequence number this table can time.</summary>
    public long End => first + _sentAt.Length;

    public void Record(long seq, long timestamp) => Volatile.Write(ref _sentAt[seq - first], timestamp);

    /// <summary>The Stopwatch timestamp quote <paramref name="seq"/> was pushed at; 0 for a quote this table did not time.</summary>
    public long SentAt(long seq) => seq > 0 && seq >= first && seq < End ? Volatile.Read(ref _sentAt[seq - first]) : 0;
}
