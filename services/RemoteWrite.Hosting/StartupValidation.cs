using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using RemoteWrite.Core.Configuration;

namespace RemoteWrite.Hosting;

/// <summary>
/// Checks every options class before the host starts, so every configuration problem is printed
/// on its own line and the process exits with code 1 without a stack trace (a failed host start
/// would throw an unhandled <c>OptionsValidationException</c>: exit code 134).
/// </summary>
public static class StartupValidation
{
    /// <summary>Every problem, one line each; empty when the configuration is valid.</summary>
    public static IReadOnlyList<string> Problems(IServiceProvider services)
    {
        var problems = new List<string>();
        foreach (var registration in services.GetServices<IValidatedOptionsRegistration>())
        {
            problems.AddRange(registration.Problems(services));
        }

        return problems;
    }

    /// <summary>Writes the problems to <paramref name="error"/>; true when there were any (then exit with 1).</summary>
    public static bool ReportProblems(IServiceProvider services, TextWriter error, string service)
    {
        var problems = Problems(services);
        if (problems.Count == 0)
        {
            return false;
        }

        error.WriteLine($"The {service} cannot start: {problems.Count} configuration problem(s):");
        foreach (var problem in problems)
        {
            error.WriteLine("  - " + problem);
        }

        error.Flush();
        return true;
    }

    /// <summary><see cref="ReportProblems"/> on standard error.</summary>
    public static bool HasConfigurationProblems(this WebApplication app, string service) =>
        ReportProblems(app.Services, Console.Error, service);
}
