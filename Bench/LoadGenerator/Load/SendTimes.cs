namespace Realtime.Bench.Load;

/// <summary>
/// When each quote left the generator, by sequence number (the quote's price). The pusher writes each slot once
/// before the quote exists anywhere else; receive loops read it when the quote comes back.
/// </summary>
public sealed class SendTimes(int capacity)
{
    private readonly long[] _sentAt = new long[capacity];

    public int Capacity => _sentAt.Length;

    public void Record(long seq, long timestamp) => Volatile.Write(ref _sentAt[seq], timestamp);

    /// <summary>The Stopwatch timestamp quote <paramref name="seq"/> was pushed at; 0 for a quote the generator did not time.</summary>
    public long SentAt(long seq) => seq > 0 && seq < _sentAt.Length ? Volatile.Read(ref _sentAt[seq]) : 0;
}
