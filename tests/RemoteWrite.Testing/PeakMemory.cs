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

    /// <summary>
    /// Starts a new peak at the current RSS (writes 5 to <c>/proc/PID/clear_refs</c>), so a later
    /// <see cref="Of"/> tells the peak of one phase; false where the kernel refuses it.
    /// </summary>
    public static bool Reset(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
