using System.Globalization;
using System.Text.Json.Nodes;

namespace RemoteWrite.LocalAzure.Ingestion;

/// <summary>Azure Monitor ingestion's error bodies: <c>{"error":{"code","message"}}</c> (CONTRACT §2a).</summary>
internal static class AzureErrors
{
    public static IResult Json(int status, string code, string message) =>
        Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }, statusCode: status);

    /// <summary>CONTRACT §2a: Logs Ingestion's wording for a missing role, the closest documented.</summary>
    public static IResult NoAccess(string dcr) => Json(403, "OperationFailed",
        $"The authentication token provided does not have access to ingest data for the data collection rule with immutable Id '{dcr}'.");

    /// <summary>CONTRACT §2: Azure/prometheus-collector issue #421's wording.</summary>
    public static IResult TooLarge(long max, long provided) => Json(413, "ContentLengthLimitExceeded",
        string.Create(CultureInfo.InvariantCulture, $"Maximum allowed content length: {max} bytes ({max / 1048576.0:0.##} MB). Provided content length: {provided} bytes"));
}
