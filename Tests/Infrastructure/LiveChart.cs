using System.Text.Json;

namespace Realtime.Tests.Infrastructure;

/// <summary>
/// What a client holds of one chart, built only as docs/protocol.md 1.9 tells a client to: a snapshot replaces
/// everything, <c>chart.resumed</c> keeps what it has, an update upserts its bars by time. Anything the protocol
/// promises never to send (an update the client already has, an older one, one that follows an update it never got,
/// one of an epoch whose snapshot it never got, a bar without its final flag, a bar sent as final that changes
/// without a revision or stops being final) is recorded as a violation instead of being applied quietly.
/// </summary>
public sealed class LiveChart
{
    private readonly object _gate = new();
    private readonly SortedDictionary<long, Point> _points = [];
    private readonly List<string> _violations = [];

    /// <summary>A bar <c>[time, open, high, low, close, volume]</c>, each indicator's outputs there as JSON text, and whether it is final.</summary>
    public sealed record Point(double[] Bar, string[] Outputs, bool Final);

    public string Epoch { get; private set; } = "";

    public long Seq { get; private set; } = -1;

    public int Snapshots { get; private set; }

    /// <summary>Snapshots pushed unasked (<c>chartId: null</c>): the server's history changed underneath, reload.</summary>
    public int UnaskedSnapshots { get; private set; }

    public int Updates { get; private set; }

    public int Resumes { get; private set; }

    /// <summary>Updates marked <c>revision</c>: they changed a bar sent as final.</summary>
    public int Revisions { get; private set; }

    /// <summary>When the last update or snapshot arrived.</summary>
    public DateTime LastArrival { get; private set; }

    private readonly List<(DateTime At, TimeSpan Gap)> _gaps = [];

    /// <summary>The times between consecutive updates or snapshots, with when each gap ended.</summary>
    public IReadOnlyList<(DateTime At, TimeSpan Gap)> Gaps
    {
        get
        {
            lock (_gate)
            {
                return [.. _gaps];
            }
        }
    }

    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_gate)
            {
                return [.. _violations];
            }
        }
    }

    public SortedDictionary<long, Point> Points
    {
        get
        {
            lock (_gate)
            {
                return new(_points);
            }
        }
    }

    /// <summary>Applies one server frame; frames that are not about charts are ignored.</summary>
    public void Apply(JsonElement frame)
    {
        var data = frame.TryGetProperty("data", out var d) ? d : default;
        lock (_gate)
        {
            switch (frame.GetProperty("type").GetString())
            {
                case "chart.snapshot":
                    Snapshot(data);
                    break;
                case "chart.resumed":
                    Resumed(data);
                    break;
                case "chart.update":
                    Update(data);
                    break;
            }
        }
    }

    private void Snapshot(JsonElement data)
    {
        Epoch = data.GetProperty("epoch").GetString()!;
        Seq = data.GetProperty("seq").GetInt64();
        _points.Clear();
        var indicators = data.GetProperty("indicators").EnumerateArray().Select(i => i.GetProperty("values")).ToArray();
        var k = 0;
        foreach (var bar in data.GetProperty("bars").EnumerateArray())
        {
            _points[bar[0].GetInt64()] = ReadPoint(bar, [.. indicators.Select(values => values[k].GetRawText())]);
            k++;
        }
        Snapshots++;
        if (data.GetProperty("chartId").ValueKind == JsonValueKind.Null)
        {
            UnaskedSnapshots++;
        }
        Arrived();
    }

    private void Resumed(JsonElement data)
    {
        if (data.GetProperty("epoch").GetString() != Epoch || data.GetProperty("seq").GetInt64() != Seq)
        {
            _violations.Add($"resumed at {data.GetProperty("epoch")}/{data.GetProperty("seq")} while holding {Epoch}/{Seq}");
        }
        Resumes++;
    }

    private void Update(JsonElement data)
    {
        var epoch = data.GetProperty("epoch").GetString()!;
        var seq = data.GetProperty("seq").GetInt64();
        var prev = data.GetProperty("prev").GetInt64();
        if (epoch != Epoch)
        {
            _violations.Add($"update {epoch}/{seq} of an epoch whose snapshot never came (holding {Epoch}/{Seq})");
            return;
        }
        if (seq <= Seq)
        {
            _violations.Add($"update {seq} again or older (holding {Seq})");
            return;
        }
        if (prev > Seq)
        {
            _violations.Add($"update {seq} follows {prev}, but {Seq} was the last one received");
            return;
        }
        var revision = data.TryGetProperty("revision", out var r) && r.GetBoolean();
        var indicators = data.GetProperty("indicators").EnumerateArray().ToArray();
        var k = 0;
        foreach (var bar in data.GetProperty("bars").EnumerateArray())
        {
            var point = ReadPoint(bar, [.. indicators.Select(values => values[k].GetRawText())]);
            var time = bar[0].GetInt64();
            if (_points.TryGetValue(time, out var held) && held.Final)
            {
                if (!point.Final)
                {
                    _violations.Add($"update {seq}: bar {time} was final and is not any more");
                }
                else if (!revision && (!held.Bar.SequenceEqual(point.Bar) || !held.Outputs.SequenceEqual(point.Outputs)))
                {
                    _violations.Add($"update {seq} changed final bar {time} without being a revision");
                }
            }
            _points[time] = point;
            k++;
        }
        if (revision)
        {
            Revisions++;
        }
        Seq = seq;
        Updates++;
        Arrived();
    }

    private void Arrived()
    {
        var now = DateTime.UtcNow;
        if (LastArrival != default)
        {
            _gaps.Add((now, now - LastArrival));
        }
        LastArrival = now;
    }

    /// <summary>
    /// The differences between what this client holds and <paramref name="truth"/> (a fresh static snapshot), over
    /// the truth's bars: every bar and indicator value must be there and equal.
    /// </summary>
    public IReadOnlyList<string> DifferencesFrom(JsonElement truth)
    {
        var fresh = new LiveChart();
        fresh.Apply(truth);
        var held = Points;
        var differences = new List<string>();
        foreach (var (time, point) in fresh.Points)
        {
            if (!held.TryGetValue(time, out var mine))
            {
                differences.Add($"bar {time} missing");
            }
            else if (!mine.Bar.SequenceEqual(point.Bar))
            {
                differences.Add($"bar {time}: [{string.Join(",", mine.Bar)}] instead of [{string.Join(",", point.Bar)}]");
            }
            else if (!mine.Outputs.SequenceEqual(point.Outputs))
            {
                differences.Add($"bar {time}: indicators {string.Join(" ", mine.Outputs)} instead of {string.Join(" ", point.Outputs)}");
            }
            else if (mine.Final != point.Final)
            {
                differences.Add($"bar {time}: final {mine.Final} instead of {point.Final}");
            }
        }
        var from = fresh.Points.Keys.DefaultIfEmpty(long.MaxValue).First();
        differences.AddRange(held.Keys.Where(t => t >= from && !fresh.Points.ContainsKey(t)).Select(t => $"bar {t} held but not in the snapshot"));
        return differences;
    }

    /// <summary><c>[time, open, high, low, close, volume, final]</c>; a bar without its final flag is a violation.</summary>
    private Point ReadPoint(JsonElement bar, string[] outputs)
    {
        if (bar.GetArrayLength() != 7 || bar[6].GetInt32() is not (0 or 1))
        {
            _violations.Add($"bar {bar.GetRawText()} is not [time, open, high, low, close, volume, final 0|1]");
        }
        return new Point([.. bar.EnumerateArray().Take(6).Select(v => v.GetDouble())], outputs, bar.GetArrayLength() > 6 && bar[6].GetInt32() == 1);
    }
}
