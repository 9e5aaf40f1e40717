using System.Globalization;

namespace RemoteWrite.Testing;

/// <summary>A process' peak resident memory, as the kernel keeps it (<c>VmHWM</c> in /proc/PID/status).</summary>
public static class PeakMemory
{
    /// <summary>Peak RSS in bytes, or null where /proc is not available.</summary>
    public static long? Of(int pid)
    {
        var path = $"/proc/{pid}/status";
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var kb = line["VmHWM:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return null;
    }
}
