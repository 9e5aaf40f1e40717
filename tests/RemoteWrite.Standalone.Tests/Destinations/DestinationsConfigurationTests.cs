using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RemoteWrite.Hosting;

namespace RemoteWrite.Standalone.Tests.Destinations;

/// <summary>DESTINATIONS_FILE at start: every problem one line (the relay then exits 1, as for any bad setting).</summary>
public sealed class DestinationsConfigurationTests
{
    private static List<string> Problems(string yaml, Dictionary<string, string?>? more = null)
    {
        var file = Path.Combine(Path.GetTempPath(), $"destinations-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, yaml);
        try
        {
            var builder = WebApplication.CreateBuilder();
            builder.Configuration.Sources.Clear();
            var variables = new Dictionary<string, string?> { ["DESTINATIONS_FILE"] = file };
            foreach (var (key, value) in more ?? [])
            {
                variables[key] = value;
            }

            builder.Configuration.AddInMemoryCollection(variables);
            builder.AddStandaloneRelay();
            return [.. StartupValidation.Problems(builder.Services.BuildServiceProvider())];
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_valid_file_has_no_problems()
    {
        Assert.Empty(Problems($"""
            mode: fanout
            destinations:
              - name: a
                endpoints: ["{DestinationsRelay.Url("dce-a")}"]
                identity: {"{"}IDENTITY_TYPE: systemAssigned{"}"}
            """));
    }

    [Fact]
    public void INGESTION_URL_and_DESTINATIONS_FILE_together_are_a_start_error()
    {
        var problems = Problems($"""
            destinations:
              - name: a
                endpoints: ["{DestinationsRelay.Url("dce-a")}"]
                identity: {"{"}IDENTITY_TYPE: systemAssigned{"}"}
            """, new() { ["INGESTION_URL"] = DestinationsRelay.Url("dce-x") });

        Assert.Contains(problems, p => p.Contains("INGESTION_URL and DESTINATIONS_FILE are both set", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_problem_of_the_file_is_one_line()
    {
        var problems = Problems("""
            mode: sometimes
            default_destination: nowhere
            destinations:
              - name: "bad name"
                endpoints: [x]
              - name: b
                endpoints: ["ftp://dce-b/write"]
                balance: random
                max_requests_per_minute: 0
                identity: {IDENTITY_TYPE: userAssigned, NOT_A_VARIABLE: 1}
                relabel_config_file: /nonexistent/relabel.yaml
                route: {label: team, header: X-Team}
              - name: b
                endpoints: ["https://dce-c/write"]
            """);

        Assert.Contains(problems, p => p.Contains("mode 'sometimes' is not fanout or route", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("default_destination 'nowhere'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("name 'bad name' must be", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("endpoint 'ftp://dce-b/write' is not an absolute http(s) URL", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("balance 'random'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("max_requests_per_minute must be positive", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("identity key 'NOT_A_VARIABLE'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("identity: AZURE_CLIENT_ID (Identity:ClientId) is required for IDENTITY_TYPE=userAssigned", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("relabel_config_file /nonexistent/relabel.yaml: cannot be read", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("route needs exactly one of label and header", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("the name is used twice", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("destination 'b': identity is required", StringComparison.Ordinal));
        Assert.All(problems, p => Assert.StartsWith("DESTINATIONS_FILE '", p));
        Assert.All(problems, p => Assert.DoesNotContain('\n', p));
    }

    [Fact]
    public void A_YAML_syntax_error_or_an_unknown_key_names_the_line()
    {
        var unknown = Problems("""
            destinations:
              - name: a
                endpoint: ["https://dce-a/write"]
            """);
        var missing = Problems("destinations: [", new() { ["DESTINATIONS_FILE"] = "/nonexistent/destinations.yaml" });

        Assert.Contains(unknown, p => p.Contains("line 3", StringComparison.Ordinal) && p.Contains("endpoint", StringComparison.Ordinal));
        Assert.Contains(missing, p => p.Contains("cannot be read", StringComparison.Ordinal));
    }
}
