using System.Text.Json;

namespace RemoteWrite.Core.Azure;

/// <summary>
/// The short, human message in an Azure error body: <c>{"error":{"code":…,"message":…}}</c>
/// (CONTRACT.md §2a), else the text itself, cut to a length safe to pass to a sender.
/// </summary>
public static class AzureErrorMessage
{
    public const int MaxLength = 512;

    public static string From(int status, string? body)
    {
        var text = Extract(body);
        var message = string.IsNullOrWhiteSpace(text) ? $"Azure Monitor answered {status}" : $"Azure Monitor answered {status}: {text}";
        return message.Length <= MaxLength ? message : message[..MaxLength] + "…";
    }

    private static string? Extract(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        var trimmed = body.Trim();
        if (trimmed.StartsWith('{'))
        {
            try
            {
                using var json = JsonDocument.Parse(trimmed);
                var root = json.RootElement;
                var error = root.TryGetProperty("error", out var e) ? e : root;
                if (error.ValueKind == JsonValueKind.Object)
                {
                    var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                    var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                    if (message is not null)
                    {
                        return code is null ? message : $"{code}: {message}";
                    }
                }
                else if (error.ValueKind == JsonValueKind.String)
                {
                    return error.GetString();
                }
            }
            catch (JsonException)
            {
                // not JSON after all: use the text
            }
        }

        return string.Join(' ', trimmed.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
    }
}
