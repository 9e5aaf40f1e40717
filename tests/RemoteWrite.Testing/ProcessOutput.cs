using System.Diagnostics;
using System.Text;

namespace RemoteWrite.Testing;

/// <summary>A child process's stdout and stderr as one text, for failure messages and for waiting on a log line.</summary>
public sealed class ProcessOutput
{
    // Bounded so a chatty process under load cannot eat the test host's memory; the oldest half goes
    // first, since callers look for recent lines.
    private const int MaxChars = 2_000_000;
    private readonly StringBuilder _text = new();

    public string Text
    {
        get
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }

    /// <summary>The last <paramref name="chars"/> characters: enough for a failure message.</summary>
    public string Tail(int chars = 6000)
    {
        lock (_text)
        {
            return _text.Length <= chars ? _text.ToString() : _text.ToString(_text.Length - chars, chars);
        }
    }

    /// <summary>Redirects the process's output here; call before <see cref="Process.Start()"/>, then <see cref="BeginReading"/>.</summary>
    public void Attach(Process process)
    {
        process.StartInfo.RedirectStandardOutput = true;
        process.StartInfo.RedirectStandardError = true;
        process.StartInfo.UseShellExecute = false;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
    }

    public static void BeginReading(Process process)
    {
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_text)
        {
            if (_text.Length > MaxChars)
            {
                _text.Remove(0, _text.Length / 2);
            }

            _text.AppendLine(line);
        }
    }
}
