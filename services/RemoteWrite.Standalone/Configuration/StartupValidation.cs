using Microsoft.Extensions.Options;
using RemoteWrite.Core.Azure;
using RemoteWrite.Core.Identity;
using RemoteWrite.Core.Pipeline;
using RemoteWrite.Receiver;

namespace RemoteWrite.Standalone.Configuration;

/// <summary>
/// Checks every options class before the host starts, so every problem is printed on its own
/// line and the process exits 1 without a stack trace (a failed host start would log one).
/// </summary>
public static class StartupValidation
{
    /// <summary>Every problem, one line each; empty when the configuration is valid.</summary>
    public static IReadOnlyList<string> Problems(IServiceProvider services)
    {
        var problems = new List<string>();
        Check<SideCarSettings>(services, problems);
        Check<AzureMonitorOptions>(services, problems);
        Check<IdentityOptions>(services, problems);
        Check<WriteLimits>(services, problems);
        Check<ReceiverOptions>(services, problems);
        return problems;
    }

    /// <summary>Writes the problems to <paramref name="error"/>; true when there were any.</summary>
    public static bool ReportProblems(IServiceProvider services, TextWriter error)
    {
        var problems = Problems(services);
        if (problems.Count == 0)
        {
            return false;
        }

        error.WriteLine($"The relay cannot start: {problems.Count} configuration problem(s):");
        foreach (var problem in problems)
        {
            error.WriteLine("  - " + problem);
        }

        error.Flush();
        return true;
    }

    private static void Check<T>(IServiceProvider services, List<string> problems)
        where T : class
    {
        try
        {
            _ = services.GetRequiredService<IOptions<T>>().Value;
        }
        catch (OptionsValidationException e)
        {
            problems.AddRange(e.Failures);
        }
        catch (InvalidOperationException e)
        {
            // A value the binder could not convert (e.g. RemoteWrite__MaxPartBytes=abc).
            problems.Add(e.Message);
        }
    }
}
