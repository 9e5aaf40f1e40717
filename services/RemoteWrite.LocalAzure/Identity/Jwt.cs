using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RemoteWrite.LocalAzure.Identity;

/// <summary>A decoded compact JWT (header, payload, and what the signature covers).</summary>
internal sealed record JwtParts(JsonElement Header, JsonElement Payload, byte[] SigningInput, byte[] Signature)
{
    public string? HeaderString(string name) =>
        Header.ValueKind == JsonValueKind.Object && Header.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public string? Claim(string name) =>
        Payload.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>
    /// A NumericDate claim. Azure.Identity's certificate assertion writes <c>nbf</c>/<c>exp</c> as JSON
    /// strings (CONTRACT §2a), so strings holding a number are accepted as well as numbers.
    /// </summary>
    public long? TimeClaim(string name)
    {
        if (!Payload.TryGetProperty(name, out var v))
        {
            return null;
        }

        return v.ValueKind switch
        {
            JsonValueKind.Number when v.TryGetInt64(out var n) => n,
            JsonValueKind.Number => (long)v.GetDouble(),
            JsonValueKind.String when long.TryParse(v.GetString(), out var s) => s,
            _ => null,
        };
    }

    /// <summary><c>aud</c> may be a string or an array of strings (RFC 7519 §4.1.3).</summary>
    public IEnumerable<string> Audiences()
    {
        if (!Payload.TryGetProperty("aud", out var v))
        {
            yield break;
        }

        if (v.ValueKind == JsonValueKind.String)
        {
            yield return v.GetString()!;
        }
        else if (v.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in v.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String)
                {
                    yield return item.GetString()!;
                }
            }
        }
    }
}

/// <summary>Minimal compact JWS (RS256 / PS256) encode, decode and verify; enough for Entra-style tokens.</summary>
internal static class Jwt
{
    public static string Sign(JsonObject header, JsonObject payload, RSA key)
    {
        var alg = header["alg"]?.GetValue<string>() ?? "RS256";
        var input = Base64UrlEncode(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64UrlEncode(JsonSerializer.SerializeToUtf8Bytes(payload));
        var signature = key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, Padding(alg));
        return input + "." + Base64UrlEncode(signature);
    }

    public static bool TryDecode(string? token, out JwtParts parts)
    {
        parts = null!;
        if (string.IsNullOrEmpty(token) || token.Length > 16 * 1024)
        {
            return false;
        }

        var first = token.IndexOf('.');
        var second = first < 0 ? -1 : token.IndexOf('.', first + 1);
        if (first <= 0 || second <= first + 1 || token.IndexOf('.', second + 1) >= 0)
        {
            return false;
        }

        try
        {
            var header = JsonDocument.Parse(Base64Url.DecodeFromChars(token.AsSpan(0, first))).RootElement;
            var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(token.AsSpan(first + 1, second - first - 1))).RootElement;
            var signature = Base64Url.DecodeFromChars(token.AsSpan(second + 1));
            if (payload.ValueKind != JsonValueKind.Object || header.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            parts = new JwtParts(header, payload, Encoding.ASCII.GetBytes(token, 0, second), signature);
            return true;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return false;
        }
    }

    /// <summary>Verifies an RS256 or PS256 signature; any other <c>alg</c> (including <c>none</c>) fails.</summary>
    public static bool Verify(JwtParts parts, RSA key)
    {
        var alg = parts.HeaderString("alg");
        if (alg is not ("RS256" or "PS256"))
        {
            return false;
        }

        try
        {
            return key.VerifyData(parts.SigningInput, parts.Signature, HashAlgorithmName.SHA256, Padding(alg));
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public static string Base64UrlEncode(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);

    private static RSASignaturePadding Padding(string alg) => alg == "PS256" ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
}
