using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using RemoteWrite.Core.Azure.Check;

namespace RemoteWrite.Hosting.Check;

/// <summary>
/// <c>dotnet X.dll check</c>: with the service's configuration (already validated by the start-up
/// check), tries every destination and endpoint (<see cref="ConnectionCheck"/>) and prints one line
/// each; exit code 0 only when all pass. The host is not started: nothing listens, nothing is sent
/// but the empty requests. The token is never printed.
/// </summary>
public static class CheckCommand
{
    public const string Verb = "check";

    public static bool IsCheck(string[] args) => args.Length > 0 && string.Equals(args[0], Verb, StringComparison.OrdinalIgnoreCase);

    public static async Task<int> RunCheckAsync(this WebApplication app, string service, TextWriter output)
    {
        output.WriteLine($"Checking the {service}'s configuration: a token, then an empty remote-write request to every endpoint.");
        output.WriteLine("OK    configuration: every option is valid");
        var verdicts = await app.Services.GetRequiredService<ConnectionCheck>().RunAsync(CancellationToken.None);
        foreach (var verdict in verdicts)
        {
            output.WriteLine(verdict.ToString());
        }

        var failed = verdicts.Count(v => !v.Passed);
        output.WriteLine(failed == 0 ? $"All {verdicts.Count} endpoint(s) pass." : $"{failed} of {verdicts.Count} endpoint(s) fail.");
        output.Flush();
        return failed == 0 && verdicts.Count > 0 ? 0 : 1;
    }
}
