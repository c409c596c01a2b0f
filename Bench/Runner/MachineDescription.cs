using System.Runtime.InteropServices;

namespace Realtime.Bench.Runner;

/// <summary>The machine a run measured, for the report: results mean little without it.</summary>
internal static class MachineDescription
{
    public static string Describe()
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var memoryKiB = long.Parse(File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        return $"{Environment.ProcessorCount} cores ({cpu}), {memoryKiB / 1048576.0:F1} GiB memory, {RuntimeInformation.OSDescription}, " +
            $"{RuntimeInformation.FrameworkDescription}, open-file limit {SuiteSettings.OpenFileLimit():N0}";
    }

    /// <summary>
    /// The 1, 5 and 15 minute load averages: anything else running on the machine competes with the servers and the
    /// generator for two cores, so a report shows how quiet the machine was.
    /// </summary>
    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
