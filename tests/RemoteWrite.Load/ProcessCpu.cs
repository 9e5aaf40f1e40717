using System.Globalization;

namespace RemoteWrite.Load;

/// <summary>
/// CPU time a process has used, from <c>/proc/PID/stat</c> (utime + stime, fields 14 and 15, in
/// clock ticks of 1/100 s on Linux). Reading another process' counters keeps the load tool's own
/// cost out of the figure.
/// </summary>
internal static class ProcessCpu
{
    private const double TicksPerSecond = 100.0;

    public static TimeSpan? Read(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        return Parse(stat);
    }

    /// <summary>Parses a stat line; the command name (field 2) may hold spaces, so fields count from its closing parenthesis.</summary>
    public static TimeSpan Parse(string stat)
    {
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state): utime is field 14, stime field 15.
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((utime + stime) / TicksPerSecond);
    }
}
