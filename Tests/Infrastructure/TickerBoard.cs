using System.Text.Json;

namespace Realtime.Tests.Infrastructure;

/// <summary>
/// What a watchlist client holds, built only as docs/protocol.md 1.10 tells a client to: a snapshot sets a symbol's
/// line and epoch, an update of that epoch with a higher seq replaces the line. Anything the protocol promises never
/// to send (an update of an epoch it has no snapshot of, one already applied or older) is recorded as a violation.
/// </summary>
public sealed class TickerBoard
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Line> _lines = new(StringComparer.Ordinal);
    private readonly List<string> _violations = [];
    private readonly List<JsonElement> _other = [];

    public sealed record Line(string Epoch, long Seq, double Price, double? Change, double? PreviousClose, double Volume, long Time);

    public IReadOnlyDictionary<string, Line> Lines
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, Line>(_lines);
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

    /// <summary>Frames that are not ticker lines (errors, replies), in arrival order.</summary>
    public IReadOnlyList<JsonElement> Other
    {
        get
        {
            lock (_gate)
            {
                return [.. _other];
            }
        }
    }

    public int Updates { get; private set; }

    private readonly List<(string Symbol, DateTime At)> _updateTimes = [];

    /// <summary>When each applied update arrived, and of which symbol.</summary>
    public IReadOnlyList<(string Symbol, DateTime At)> UpdateTimes
    {
        get
        {
            lock (_gate)
            {
                return [.. _updateTimes];
            }
        }
    }

    /// <summary>Reads every frame of <paramref name="socket"/> into the board until it closes.</summary>
    public async Task Follow(TestSocket socket)
    {
        try
        {
            await foreach (var frame in socket.Frames.ReadAllAsync())
            {
                Apply(frame);
            }
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
        }
    }

    public void Apply(JsonElement frame)
    {
        var type = frame.GetProperty("type").GetString();
        var data = frame.TryGetProperty("data", out var d) ? d : default;
        lock (_gate)
        {
            switch (type)
            {
                case "ticker.snapshot":
                    _lines[data.GetProperty("symbol").GetString()!] = Read(data);
                    break;
                case "ticker.resumed":
                    var symbol = data.GetProperty("symbol").GetString()!;
                    if (!_lines.TryGetValue(symbol, out var held) || held.Epoch != data.GetProperty("epoch").GetString() || held.Seq != data.GetProperty("seq").GetInt64())
                    {
                        _violations.Add($"{symbol} resumed at {data.GetProperty("epoch")}/{data.GetProperty("seq")} while holding {held?.Epoch}/{held?.Seq}");
                    }
                    break;
                case "ticker.update":
                    Update(data);
                    break;
                default:
                    _other.Add(frame.Clone());
                    break;
            }
        }
    }

    private void Update(JsonElement data)
    {
        var symbol = data.GetProperty("symbol").GetString()!;
        var line = Read(data);
        if (!_lines.TryGetValue(symbol, out var held) || held.Epoch != line.Epoch)
        {
            _violations.Add($"{symbol}: update {line.Epoch}/{line.Seq} of an epoch whose snapshot never came (holding {held?.Epoch}/{held?.Seq})");
            return;
        }
        if (line.Seq <= held.Seq)
        {
            _violations.Add($"{symbol}: update {line.Seq} again or older (holding {held.Seq})");
            return;
        }
        _lines[symbol] = line;
        Updates++;
        _updateTimes.Add((symbol, DateTime.UtcNow));
    }

    private static Line Read(JsonElement data) => new(
        data.GetProperty("epoch").GetString()!,
        data.GetProperty("seq").GetInt64(),
        data.GetProperty("price").GetDouble(),
        Nullable(data.GetProperty("change")),
        Nullable(data.GetProperty("prevClose")),
        data.GetProperty("volume").GetDouble(),
        data.GetProperty("time").GetInt64());

    private static double? Nullable(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetDouble();
}
