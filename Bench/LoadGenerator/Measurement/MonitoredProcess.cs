namespace Realtime.Bench.Measurement;

/// <summary>A server process whose CPU time and memory the run reports.</summary>
public sealed record MonitoredProcess(string Name, int Pid)
{
    // USER_HZ: the unit of utime and stime in /proc/<pid>/stat, 100 on every Linux ABI .NET runs on.
    private const double TicksPerSecond = 100;

    /// <summary>User plus system CPU time so far, from /proc/&lt;pid&gt;/stat.</summary>
    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        // The command name may hold spaces and parentheses; the fields after its closing ')' are fixed.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond;
    }

    /// <summary>Resident set size (VmRSS) in bytes, from /proc/&lt;pid&gt;/status.</summary>
    public long RssBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]) * 1024;
            }
        }
        throw new InvalidOperationException($"/proc/{Pid}/status has no VmRSS");
    }
}
